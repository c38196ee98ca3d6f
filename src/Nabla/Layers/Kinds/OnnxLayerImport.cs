using System.Globalization;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers.Kinds;

/// <summary>
/// One ONNX node being turned into a layer, handed to <see cref="LayerKind.FromOnnx"/>: the node, the per-sample shape
/// of the value it reads, the graph's constants, and the node after it (for a layer that spans two nodes, such as
/// <c>MatMul</c> then <c>Add</c>). The hook returns the layer's spec and gives its tensors' values with
/// <see cref="SetTensor"/>; it throws <see cref="ArgumentException"/> saying why when the node has no Nabla form.
/// </summary>
public sealed class OnnxLayerImport
{
    private readonly IReadOnlyDictionary<string, OnnxTensor> _constants;
    private readonly Func<string, OnnxNode?> _nextReader;
    private readonly Dictionary<string, float[]> _tensors = new(StringComparer.Ordinal);

    /// <summary>Describes <paramref name="node"/> to a kind's hook; <paramref name="nextReader"/> gives the node after the one producing a value, if it reads only that value and constants.</summary>
    internal OnnxLayerImport(OnnxNode node, SampleShape input, long opset, IReadOnlyDictionary<string, OnnxTensor> constants, Func<string, OnnxNode?> nextReader)
    {
        Node = node;
        Input = input;
        Opset = opset;
        _constants = constants;
        _nextReader = nextReader;
        OutputValue = node.Outputs.Count > 0 ? node.Outputs[0] : "";
    }

    /// <summary>The node.</summary>
    public OnnxNode Node { get; }

    /// <summary>The per-sample shape of the value the node reads (<c>[4]</c>, <c>[1, 28, 28]</c>).</summary>
    public SampleShape Input { get; }

    /// <summary>The version of ONNX's operator set the file uses (some operators changed their defaults over versions).</summary>
    public long Opset { get; }

    /// <summary>The node after the last one taken, when it reads that node's output and constants only; null otherwise.</summary>
    public OnnxNode? Next => _nextReader(OutputValue);

    /// <summary>How many nodes after <see cref="Node"/> the layer took with <see cref="TakeNext"/>.</summary>
    internal int Taken { get; private set; }

    /// <summary>The value the layer produces: the first output of the last node it took.</summary>
    internal string OutputValue { get; private set; }

    /// <summary>The tensor values given with <see cref="SetTensor"/>, by name.</summary>
    internal IReadOnlyDictionary<string, float[]> Tensors => _tensors;

    /// <summary>Takes <see cref="Next"/> into this layer (its output becomes the layer's) and returns it.</summary>
    /// <exception cref="InvalidOperationException">There is no such node.</exception>
    public OnnxNode TakeNext()
    {
        var next = Next ?? throw new InvalidOperationException("There is no next node reading this layer's output.");
        Taken++;
        OutputValue = next.Outputs.Count > 0 ? next.Outputs[0] : "";
        return next;
    }

    /// <summary>Gives the values of the layer's tensor <paramref name="name"/> (one of its kind's <see cref="LayerKind.Tensors"/>), in the file shape's row-major order.</summary>
    public void SetTensor(string name, float[] values) => _tensors[name] = values;

    /// <summary>The FLOAT constant (initializer or <c>Constant</c> node) that <paramref name="node"/>'s input <paramref name="input"/> reads; null when the input is left out.</summary>
    /// <exception cref="ArgumentException">The input is computed rather than constant, or its values are not FLOAT.</exception>
    public OnnxTensor? FloatConstant(OnnxNode node, int input, string what)
    {
        if (node.Inputs.Count <= input || node.Inputs[input].Length == 0)
            return null;
        string name = node.Inputs[input];
        if (!_constants.TryGetValue(name, out var tensor))
            throw new ArgumentException($"its {what} ({Shown(name)}) is computed in the graph; Nabla takes it only as a constant");
        if (tensor.Floats is null)
            throw new ArgumentException($"its {what} ({Shown(name)}) holds {tensor.DataType} values; expected FLOAT");
        return tensor;
    }

    /// <summary>The INT64 constant that <paramref name="node"/>'s input <paramref name="input"/> reads (a shape, a list of axes); null when the input is left out.</summary>
    /// <exception cref="ArgumentException">The input is computed rather than constant, or its values are not INT64.</exception>
    public long[]? Int64Constant(OnnxNode node, int input, string what)
    {
        if (node.Inputs.Count <= input || node.Inputs[input].Length == 0)
            return null;
        string name = node.Inputs[input];
        if (!_constants.TryGetValue(name, out var tensor))
            throw new ArgumentException($"its {what} ({Shown(name)}) is computed in the graph; Nabla takes it only as a constant");
        return tensor.Int64s ?? throw new ArgumentException($"its {what} ({Shown(name)}) holds {tensor.DataType} values; expected INT64");
    }

    /// <summary>
    /// The <paramref name="length"/> values of a per-feature constant (a bias) that <paramref name="node"/>'s input
    /// <paramref name="input"/> reads: shaped <c>[length]</c> or <c>[1, length]</c>, or one value for all; zeros when the input is left out.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not a FLOAT constant of such a shape.</exception>
    public float[] Vector(OnnxNode node, int input, int length, string what)
    {
        if (FloatConstant(node, input, what) is not { } tensor)
            return new float[length];
        var dims = tensor.Dims;
        if (tensor.ElementCount == 1 && dims.All(d => d == 1))
            return Enumerable.Repeat(tensor.Floats![0], length).ToArray();
        if (tensor.ElementCount == length && dims.Count > 0 && dims[^1] == length)
            return tensor.Floats!;
        throw new ArgumentException($"its {what} is shaped {DimsText(dims)}; expected [{length}] or one value");
    }

    /// <summary>The (height, width) of <paramref name="node"/>'s two-number attribute <paramref name="name"/> (<c>kernel_shape</c>, <c>strides</c>, <c>dilations</c>), or <paramref name="fallback"/> when it is absent.</summary>
    /// <exception cref="ArgumentException">The attribute is not two whole numbers of at least 0.</exception>
    public static (int Height, int Width) Pair(OnnxNode node, string name, (int Height, int Width) fallback)
    {
        if (node.Ints(name) is not { } values)
            return fallback;
        if (values is not [>= 0 and <= int.MaxValue, >= 0 and <= int.MaxValue])
            throw new ArgumentException($"its {name} is {DimsText(values)}; expected two sizes (height, width)");
        return ((int)values[0], (int)values[1]);
    }

    /// <summary>
    /// The padding of <paramref name="node"/>, a 2-D window operator (<c>Conv</c>, <c>MaxPool</c>, <c>AveragePool</c>), as PyTorch pads: <c>pads</c>
    /// <c>[top, left, bottom, right]</c> with top = bottom and left = right (zeros when absent), and no <c>auto_pad</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Uneven padding, or padding left to <c>auto_pad</c>.</exception>
    public static (int Height, int Width) Padding(OnnxNode node)
    {
        if (node.Attribute("auto_pad") is { Text: var auto } && auto is not ("" or "NOTSET"))
            throw new ArgumentException($"it has auto_pad={ProtoReader.Shown(auto)}; Nabla takes explicit pads");
        var pads = node.Ints("pads") ?? [0, 0, 0, 0];
        if (pads is not [>= 0 and <= int.MaxValue, >= 0 and <= int.MaxValue, _, _] || pads[0] != pads[2] || pads[1] != pads[3])
            throw new ArgumentException($"its pads are {DimsText(pads)}; expected [top, left, bottom, right] with top = bottom and left = right, as PyTorch pads");
        return ((int)pads[0], (int)pads[1]);
    }

    /// <summary>A (height, width) option value as PyTorch prints it: one number when both are equal (<c>3</c>), else the pair (<c>(3, 5)</c>).</summary>
    public static OptionValue PairOption((int Height, int Width) pair) =>
        pair.Height == pair.Width ? OptionValue.Of(pair.Height) : OptionValue.Of(pair.Height, pair.Width);

    /// <summary>A float attribute as the decimal number it was written from (0.01f becomes 0.01, not 0.009999999776).</summary>
    public static double Decimal(float value) => double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Dimensions as text: <c>[3, 16]</c>.</summary>
    public static string DimsText(IReadOnlyList<long> dims) => $"[{string.Join(", ", dims)}]";

    private static string Shown(string name) => ProtoReader.Shown(name);
}
