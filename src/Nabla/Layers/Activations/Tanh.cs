using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Layers.Activations;

/// <summary>PyTorch's <c>nn.Tanh</c>.</summary>
public sealed class TanhKind : ActivationKind
{
    private TanhKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static TanhKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "Tanh";

    /// <inheritdoc />
    public override ActivationHealth Health => ActivationHealth.SaturatesAtOne;

    /// <inheritdoc />
    protected override string OnnxOperator => "Tanh";

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) => new Tanh<T>();
}

/// <summary><c>a = tanh(z)</c>; <c>d/dz tanh(z) = 1 − tanh²(z) = sech²(z)</c> (seeds 000 and 004).</summary>
public sealed class Tanh<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override LayerKind Kind => TanhKind.Instance;

    /// <inheritdoc />
    protected override void Apply(ReadOnlySpan<T> z, Span<T> a) => TensorPrimitives.Tanh(z, a);

    /// <inheritdoc />
    protected override void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        // One pass: (1 − a²)·g.
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T ra = ref MemoryMarshal.GetReference(a), rg = ref MemoryMarshal.GetReference(outputGradient);
            ref T rd = ref MemoryMarshal.GetReference(inputGradient);
            for (; i <= inputGradient.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var av = Vector.LoadUnsafe(ref ra, (nuint)i);
                ((Vector<T>.One - av * av) * Vector.LoadUnsafe(ref rg, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
            }
        }
        for (; i < inputGradient.Length; i++)
            inputGradient[i] = (T.One - a[i] * a[i]) * outputGradient[i];
    }
}
