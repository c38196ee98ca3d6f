using Nabla.Layers;
using Nabla.Serialization;

namespace Nabla.Runs;

/// <summary>
/// Starts a network from a trained model's weights (<see cref="TrainingRunOptions.InitializeFrom"/>), to fine-tune it:
/// every tensor (parameters, buffers such as batch norm's running statistics, counters) is copied by position,
/// after checking that both networks have the same tensors with the same names and shapes.
/// </summary>
internal static class InitialWeights
{
    /// <summary>Copies the tensors of the model file at <paramref name="path"/> into <paramref name="model"/>.</summary>
    /// <exception cref="NablaInputException">
    /// The file is not a valid model file, or its network differs: the message names the first tensor that differs
    /// (its name and shape on both sides) or the first one only one side has.
    /// </exception>
    public static void Copy(string path, Sequential<float> model)
    {
        var (source, _) = ModelFile.Load<float>(path);
        var from = source.NamedTensors;
        var to = model.NamedTensors;
        for (int i = 0; i < Math.Max(from.Count, to.Count); i++)
        {
            if (i >= from.Count)
                throw Differs(path, $"it has no tensor '{to[i].Name}' {Shape(to[i].Tensor)}, which the network being trained has");
            if (i >= to.Count)
                throw Differs(path, $"its tensor '{from[i].Name}' {Shape(from[i].Tensor)} has no counterpart in the network being trained");
            var (name, tensor) = from[i];
            var (targetName, target) = to[i];
            if (name != targetName || !tensor.FileShape.SequenceEqual(target.FileShape) || tensor.GetType() != target.GetType())
                throw Differs(path, $"its tensor '{name}' is {Shape(tensor)}; the network being trained has '{targetName}' {Shape(target)}");
        }
        for (int i = 0; i < from.Count; i++)
        {
            switch (from[i].Tensor, to[i].Tensor)
            {
                case (Parameter<float> a, Parameter<float> b):
                    a.Value.Span.CopyTo(b.Value.Span);
                    break;
                case (Buffer<float> a, Buffer<float> b):
                    a.Values.CopyTo(b.Values);
                    break;
                case (Counter a, Counter b):
                    b.Value = a.Value;
                    break;
            }
        }
    }

    private static NablaInputException Differs(string path, string detail) =>
        new($"{path}: cannot start from this model: {detail}; expected a model of the same network (layers, sizes and classes).", path);

    private static string Shape(LayerTensor tensor) => $"[{string.Join(", ", tensor.FileShape)}]";
}
