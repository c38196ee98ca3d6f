using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>Finds the first NaN or infinity in a step, for <see cref="TrainingDivergedException"/>.</summary>
internal static class Divergence
{
    /// <summary>
    /// After a non-finite loss: the first parameter that is no longer finite, else the first layer whose output in
    /// the step's forward pass was not (read from the layers' buffers, so no layer runs twice: dropout keeps its
    /// masks and batch norm its statistics); null if everything up to the loss is finite.
    /// </summary>
    public static StepFailure? FirstNonFiniteForward<T>(Sequential<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (name, p) in model.NamedParameters)
            if (!AllFinite(p.Value.Span))
                return new StepFailure(StepFailureKind.Parameter, name);
        for (int i = 0; i < model.Layers.Count; i++)
            if (!AllFinite(model.LastOutputs[i].Span))
                return new StepFailure(StepFailureKind.LayerOutput, $"layer {i} ({model.Layers[i].Kind.Name})");
        return null;
    }

    /// <summary>
    /// The first parameter whose gradient holds a NaN or infinity, or null. A gradient its layer proved finite
    /// as it wrote it (<see cref="Parameter{T}.GradientProvedFinite"/>: a dense layer's weight gradient) is not
    /// read again.
    /// </summary>
    public static StepFailure? FirstNonFiniteGradient<T>(Sequential<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameters = model.Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].GradientProvedFinite)
                continue;
            // A sum is one vectorised pass and is non-finite whenever an element is (or it overflowed);
            // only then is the exact element-wise check needed.
            var g = parameters[i].Gradient.Span;
            if (!SumsAreFinite<T>(g) && !AllFinite<T>(g))
                return new StepFailure(StepFailureKind.Gradient, model.NamedParameters[i].Name);
        }
        return null;
    }

    /// <summary>Whether the partial sums of <paramref name="values"/>, taken in parallel, are all finite.</summary>
    private static unsafe bool SumsAreFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int parts = Elementwise.Parts(values.Length);
        T* sums = stackalloc T[parts];
        fixed (T* pv = values)
        {
            var job = new SumJob<T> { Values = pv, Sums = sums };
            Elementwise.Run(values.Length, &SumRange<T>, &job, parts);
        }
        for (int p = 0; p < parts; p++)
            if (!T.IsFinite(sums[p]))
                return false;
        return true;
    }

    private unsafe struct SumJob<T> where T : unmanaged
    {
        public T* Values, Sums;
    }

    private static unsafe void SumRange<T>(void* state, int part, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref SumJob<T> job = ref *(SumJob<T>*)state;
        job.Sums[part] = TensorPrimitives.Sum<T>(new ReadOnlySpan<T>(job.Values + start, end - start));
    }

    private static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var v in values)
            if (!T.IsFinite(v))
                return false;
        return true;
    }
}
