using System.Numerics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Tests.Serialization;

/// <summary>
/// Layer kinds defined in the tests alone, for what the ONNX export and import do with kinds Nabla's own set lacks
/// in this branch: an image flattened to a row (ONNX's <c>Flatten</c>), and a kind with no ONNX form.
/// </summary>
internal static class OnnxToyKinds
{
    static OnnxToyKinds()
    {
        LayerKinds.Register(ToyFlattenKind.Instance);
        LayerKinds.Register(ToyOpaqueKind.Instance);
    }

    /// <summary>Registers the kinds (once).</summary>
    public static void Register()
    {
    }

    /// <summary>C×H×W in, C·H·W features out: a batch row is already the image flattened, so the layer passes rows through.</summary>
    public sealed class ToyFlattenKind : LayerKind
    {
        public static ToyFlattenKind Instance { get; } = new();

        public override string Name => "ToyFlatten";

        public override IReadOnlyList<string> OnnxOperators => ["Flatten"];

        public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) => new PassThrough<T>(this);

        public override string ToOnnx(OnnxLayerExport layer) => layer.Node("Flatten", [layer.InputValue], OnnxAttribute.Of("axis", 1L));

        public override LayerSpec FromOnnx(OnnxLayerImport layer) =>
            layer.Node.Int("axis", 1) == 1 ? new LayerSpec(Name) : throw new ArgumentException($"Flatten with axis {layer.Node.Int("axis", 1)}; expected 1");

        protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
        {
            RequireImage(spec, input);
            return (spec, SampleShape.Features(input.Size));
        }
    }

    /// <summary>A pass-through on features with no ONNX form.</summary>
    public sealed class ToyOpaqueKind : LayerKind
    {
        public static ToyOpaqueKind Instance { get; } = new();

        public override string Name => "ToyOpaque";

        public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) => new PassThrough<T>(this);

        protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input) => (spec, input);
    }

    private sealed class PassThrough<T>(LayerKind kind) : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public LayerKind Kind => kind;

        public IReadOnlyList<Parameter<T>> Parameters => [];

        public Matrix<T> Forward(Matrix<T> input, bool training) => input;

        public Matrix<T> Backward(Matrix<T> outputGradient) => outputGradient;
    }
}
