using System.Numerics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Tests.Serialization;

/// <summary>
/// A layer kind defined in the tests alone, for what the ONNX export does with a kind that has no ONNX form.
/// </summary>
internal static class OnnxToyKinds
{
    static OnnxToyKinds()
    {
        LayerKinds.Register(ToyOpaqueKind.Instance);
    }

    /// <summary>Registers the kinds (once).</summary>
    public static void Register()
    {
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
