using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Layers;

namespace Nabla.Optimizers;

/// <summary>
/// What every optimizer shares: the learning rate, weight decay on parameters that decay, i.e. weights and
/// not biases (L2, <c>g ← g + λW</c> as in seed 004's <c>λ/2 ΣW²</c>, except for <see cref="AdamW{T}"/>, which
/// shrinks the weights instead), and optional clipping of the gradients' global L2 norm before the update.
/// </summary>
public abstract class Optimizer<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Validates and stores the shared settings.</summary>
    protected Optimizer(double learningRate, double weightDecay, double? maxGradientNorm)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"Expected a positive finite learning rate; received {learningRate}.");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Expected a weight decay ≥ 0; received {weightDecay}.");
        if (maxGradientNorm is { } max && !(max > 0))
            throw new ArgumentOutOfRangeException(nameof(maxGradientNorm), $"Expected a positive maximum gradient norm; received {max}.");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        MaxGradientNorm = maxGradientNorm;
    }

    /// <inheritdoc />
    public double LearningRate { get; set; }

    /// <summary>The weight decay λ of decaying parameters: the L2 coefficient added to their gradient (AdamW: decoupled).</summary>
    public double WeightDecay { get; }

    /// <summary>When set, gradients are scaled down so their global L2 norm is at most this.</summary>
    public double? MaxGradientNorm { get; }

    /// <summary>Number of steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        if (MaxGradientNorm is { } max)
            ClipGlobalNorm(parameters, max);
        Steps++;
        for (int i = 0; i < parameters.Count; i++)
            Update(parameters[i], parameters[i].Decays ? T.CreateChecked(WeightDecay) : T.Zero);
    }

    /// <summary>Updates one parameter; <paramref name="decay"/> is λ for this parameter (0 for biases).</summary>
    protected abstract void Update(Parameter<T> parameter, T decay);

    /// <summary>
    /// A copy of the state (step count and buffers) for the named <paramref name="parameters"/>, with each buffer
    /// named <c>"{kind}.{parameter name}"</c>; parameters that have no buffer yet are left out.
    /// </summary>
    /// <remarks>The kinds are those of <see cref="OptimizerBufferKinds.All"/>: SGD <c>velocity</c>; Adam and AdamW <c>m</c>, <c>v</c>; Adagrad <c>sum</c>; RMSprop <c>square_avg</c>, <c>grad_avg</c>, <c>momentum_buffer</c>.</remarks>
    public OptimizerState<T> ExportState(IReadOnlyList<(string Name, Parameter<T> Parameter)> parameters)
    {
        var buffers = new Dictionary<string, T[]>(StringComparer.Ordinal);
        foreach (var (name, parameter) in parameters)
            foreach (var (kind, buffer) in BuffersOf(parameter))
                buffers[$"{kind}.{name}"] = (T[])buffer.Clone();
        return new OptimizerState<T>(Steps, buffers);
    }

    /// <summary>
    /// Replaces the state with <paramref name="state"/> (from <see cref="ExportState"/>), attaching each buffer to the
    /// parameter of the same name in <paramref name="parameters"/>, so the next step continues exactly where the
    /// exported optimizer would have.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer names no parameter or kind of this optimizer, or its length differs from its parameter's.</exception>
    public void ImportState(OptimizerState<T> state, IReadOnlyList<(string Name, Parameter<T> Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Steps < 0)
            throw new ArgumentException($"Expected a step count ≥ 0; received {state.Steps}.", nameof(state));
        var byName = parameters.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        var kinds = BufferKinds;
        var restored = new List<(string Kind, Parameter<T> Parameter, T[] Buffer)>();
        foreach (var (key, buffer) in state.Buffers)
        {
            int dot = key.IndexOf('.', StringComparison.Ordinal);
            string kind = dot < 0 ? key : key[..dot];
            if (dot < 0 || !kinds.Contains(kind) || !byName.TryGetValue(key[(dot + 1)..], out var parameter))
                throw new ArgumentException(
                    $"Optimizer buffer '{key}': expected '{{{string.Join("|", kinds)}}}.{{parameter}}' for one of {string.Join(", ", byName.Keys)}.", nameof(state));
            if (buffer.Length != parameter.Value.Length)
                throw new ArgumentException($"Optimizer buffer '{key}' has {buffer.Length} values; its parameter has {parameter.Value.Length}.", nameof(state));
            restored.Add((kind, parameter, (T[])buffer.Clone()));
        }
        ClearBuffers();
        foreach (var (kind, parameter, buffer) in restored)
            SetBuffer(kind, parameter, buffer);
        Steps = state.Steps;
    }

    /// <summary>The kinds of buffer this optimizer keeps per parameter (<c>"velocity"</c>; <c>"m"</c> and <c>"v"</c>; …), none containing a dot.</summary>
    protected abstract IReadOnlyList<string> BufferKinds { get; }

    /// <summary>How many buffers as large as a parameter this optimizer may keep for each one (Adam: 2), for memory estimates.</summary>
    public int BuffersPerParameter => BufferKinds.Count;

    /// <summary>The buffers <paramref name="parameter"/> has so far, by kind.</summary>
    protected abstract IEnumerable<(string Kind, T[] Buffer)> BuffersOf(Parameter<T> parameter);

    /// <summary>Forgets every buffer.</summary>
    protected abstract void ClearBuffers();

    /// <summary>Gives <paramref name="parameter"/> the buffer <paramref name="buffer"/> of kind <paramref name="kind"/> (one of <see cref="BufferKinds"/>).</summary>
    protected abstract void SetBuffer(string kind, Parameter<T> parameter, T[] buffer);

    /// <summary>Scales every gradient by <c>max/‖g‖</c> when the global norm <c>‖g‖</c> exceeds <paramref name="max"/>; returns <c>‖g‖</c>.</summary>
    public static double ClipGlobalNorm(IReadOnlyList<Parameter<T>> parameters, double max)
    {
        double sumSquares = 0;
        for (int i = 0; i < parameters.Count; i++)
            sumSquares += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(parameters[i].Gradient.Span));
        double norm = Math.Sqrt(sumSquares);
        if (norm > max)
        {
            T scale = T.CreateChecked(max / norm);
            for (int i = 0; i < parameters.Count; i++)
                TensorPrimitives.Multiply(parameters[i].Gradient.Span, scale, parameters[i].Gradient.Span);
        }
        return norm;
    }
}
