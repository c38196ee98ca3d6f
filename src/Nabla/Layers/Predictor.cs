using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Nabla.Layers.Activations;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// A frozen copy of a <see cref="Sequential{T}"/> for predicting one sample at a time: no matrices,
/// no batch bookkeeping, nothing allocated per call. Linear weights are copied at construction (for
/// <see cref="float"/>, transposed and padded for a single-row kernel), so later training does not
/// change this predictor; build a new one to pick it up.
/// </summary>
/// <remarks>
/// Results equal row <c>i</c> of <see cref="Sequential{T}.Forward"/> on a batch holding the sample
/// (up to rounding in the last bit where the batched product sums in another order). One instance is
/// not safe to use from several threads at once: it owns its scratch buffers. Layers it does not know
/// (custom <see cref="ILayer{T}"/> implementations) run through their own <see cref="ILayer{T}.Forward"/>
/// on a one-row batch.
/// </remarks>
public sealed class Predictor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Stage[] _stages;
    private readonly T[] _ping;
    private readonly T[] _pong;

    /// <summary>Captures <paramref name="model"/>'s current weights; <paramref name="inputs"/> is the number of input values, needed unless the first layer is <see cref="Linear{T}"/>.</summary>
    /// <exception cref="ArgumentException">The input width is not given and the first layer does not tell it, or a layer does not fit the width before it.</exception>
    public Predictor(Sequential<T> model, int? inputs = null)
    {
        Inputs = inputs ?? (model.Layers[0] as Linear<T>)?.Inputs
            ?? throw new ArgumentException($"Give the number of inputs: the model's first layer, {model.Layers[0]}, does not tell it.", nameof(inputs));
        var stages = new List<Stage>();
        int width = Inputs, widest = Inputs;
        foreach (var layer in model.Layers)
        {
            Stage? stage = layer switch
            {
                Linear<T> dense when width == dense.Inputs => LinearStage(dense),
                Linear<T> dense => throw new ArgumentException($"{dense} follows a layer with {width} outputs.", nameof(model)),
                Activation<T> activation => new ActivationStage(activation),
                Softmax<T> => new SoftmaxStage(),
                Dropout<T> => null, // the identity at inference
                _ => new LayerStage(layer),
            };
            if (stage is null)
                continue;
            if (stage is FloatLinearStage second && stages is [.., FloatLinearStage first, ActivationStage between])
            {
                stages.RemoveRange(stages.Count - 2, 2);
                stage = new FloatDenseActivationDenseStage(first, between.Activation, second);
            }
            stages.Add(stage);
            if (stage.Outputs(width) is { } outputs)
                width = outputs;
            widest = Math.Max(widest, stage.Scratch(width));
        }
        Outputs = width;
        _stages = [.. stages];
        _ping = new T[widest];
        _pong = new T[widest];
    }

    /// <summary>Number of input features.</summary>
    public int Inputs { get; }

    /// <summary>Number of outputs (logits for a classifier).</summary>
    public int Outputs { get; }

    /// <summary>
    /// The model's output for one sample: <paramref name="input"/> has <see cref="Inputs"/> values.
    /// The span is this predictor's buffer, overwritten by the next call.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong length.</exception>
    public ReadOnlySpan<T> Predict(ReadOnlySpan<T> input)
    {
        if (input.Length != Inputs)
            throw new ArgumentException($"Expected {Inputs} input values; received {input.Length}.", nameof(input));
        ReadOnlySpan<T> x = input;
        var (next, spare) = (_ping, _pong);
        foreach (var stage in _stages)
        {
            x = stage.Run(x, next);
            (next, spare) = (spare, next);
        }
        return x;
    }

    /// <summary>The index of the largest output for one sample (the predicted class of a classifier; ties go to the first).</summary>
    public int PredictClass(ReadOnlySpan<T> input) => TensorPrimitives.IndexOfMax(Predict(input));

    private static Stage LinearStage(Linear<T> dense) =>
        typeof(T) == typeof(float) && Gemv.IsAccelerated ? new FloatLinearStage((Linear<float>)(object)dense) : new GenericLinearStage(dense);

    /// <summary>One step of the frozen network, writing into a scratch buffer it may use whole.</summary>
    private abstract class Stage
    {
        /// <summary>Output width for an input of <paramref name="inputs"/> values, or null when it is the same.</summary>
        public virtual int? Outputs(int inputs) => null;

        /// <summary>Scratch values the stage needs when producing <paramref name="outputs"/> values.</summary>
        public virtual int Scratch(int outputs) => outputs;

        /// <summary>Computes the stage for <paramref name="x"/> into <paramref name="scratch"/>; returns the output.</summary>
        public abstract ReadOnlySpan<T> Run(ReadOnlySpan<T> x, T[] scratch);
    }

    /// <summary><c>y = x·Wᵀ + b</c> with Wᵀ stored k-major, zero-padded and cache-line aligned for <see cref="Gemv"/>.</summary>
    private sealed class FloatLinearStage : Stage
    {
        private readonly AlignedFloats _weightT;
        private readonly float[] _bias;
        private readonly int _ld;

        public FloatLinearStage(Linear<float> dense)
        {
            int inputs = dense.Inputs, outputs = dense.Outputs;
            _ld = (outputs + Gemv.Padding - 1) / Gemv.Padding * Gemv.Padding;
            _weightT = new AlignedFloats(inputs * _ld);
            var weightT = _weightT.Span;
            var w = dense.Weight.Value;
            for (int o = 0; o < outputs; o++)
            {
                var row = w.Row(o);
                for (int i = 0; i < inputs; i++)
                    weightT[i * _ld + o] = row[i];
            }
            _bias = dense.Bias.Value.Span.ToArray();
        }

        /// <summary>Wᵀ, <see cref="Ld"/> values a row.</summary>
        public ReadOnlySpan<float> WeightT => _weightT.Span;

        public float[] Bias => _bias;

        /// <summary>The padded row length of <see cref="WeightT"/>.</summary>
        public int Ld => _ld;

        public override int? Outputs(int inputs) => _bias.Length;

        public override int Scratch(int outputs) => _ld;

        public override ReadOnlySpan<T> Run(ReadOnlySpan<T> x, T[] scratch)
        {
            var y = MemoryMarshal.Cast<T, float>(scratch.AsSpan());
            Gemv.Multiply(MemoryMarshal.Cast<T, float>(x), _weightT.Span, _ld, y);
            var result = y[.._bias.Length];
            TensorPrimitives.Add(result, _bias, result);
            return MemoryMarshal.Cast<float, T>(result);
        }
    }

    /// <summary>
    /// Dense, elementwise activation, dense, with the second product started early. When the first
    /// product is split between two threads, this thread's columns are done while the other thread
    /// still works: their activations start the second product's chains meanwhile, and the chains
    /// continue over the other columns once they are in (<see cref="Gemv.MultiplyAdd"/>). The bits
    /// are those of the three stages one after the other. A second product large enough to split
    /// itself runs after the first, on both threads, as before. The 784-256-64-10 sigmoid network,
    /// one Fashion-MNIST test image a call on two threads: 3.36–3.48 µs as three stages, 3.02–3.06
    /// µs so (1,000 images cycled; `nabla bench` infer-batch1, all 10,000: 3.70 → 3.27 µs).
    /// </summary>
    private sealed class FloatDenseActivationDenseStage(FloatLinearStage first, Activation<T> activation, FloatLinearStage second) : Stage
    {
        public override int? Outputs(int inputs) => second.Bias.Length;

        /// <summary>The first product's sums and their activations, then the output.</summary>
        public override int Scratch(int outputs) => 2 * first.Ld + second.Ld;

        public override ReadOnlySpan<T> Run(ReadOnlySpan<T> x, T[] scratch)
        {
            var input = MemoryMarshal.Cast<T, float>(x);
            int hidden = first.Bias.Length;
            int early = Gemv.FirstColumns(hidden, second.Ld) == second.Ld ? Math.Min(Gemv.FirstColumns(input.Length, first.Ld), hidden) : 0;
            var start = new StartSecond(this, scratch, early);
            Gemv.Multiply(input, first.WeightT, first.Ld, Sums(scratch), ref start);
            if (early < hidden)
            {
                Activate(scratch, early, hidden);
                var rest = Activations(scratch)[early..hidden];
                var weights = second.WeightT[(early * second.Ld)..];
                if (early == 0)
                    Gemv.Multiply(rest, weights, second.Ld, Output(scratch));
                else
                    Gemv.MultiplyAdd(rest, weights, second.Ld, Output(scratch));
            }
            var result = Output(scratch)[..second.Bias.Length];
            TensorPrimitives.Add(result, second.Bias, result);
            return MemoryMarshal.Cast<float, T>(result);
        }

        private Span<float> Sums(T[] scratch) => MemoryMarshal.Cast<T, float>(scratch.AsSpan(0, first.Ld));

        private Span<float> Activations(T[] scratch) => MemoryMarshal.Cast<T, float>(scratch.AsSpan(first.Ld, first.Ld));

        private Span<float> Output(T[] scratch) => MemoryMarshal.Cast<T, float>(scratch.AsSpan(2 * first.Ld, second.Ld));

        /// <summary>Adds the first bias to sums [<paramref name="from"/>, <paramref name="to"/>) and applies the activation.</summary>
        private void Activate(T[] scratch, int from, int to)
        {
            var sums = Sums(scratch)[from..to];
            TensorPrimitives.Add(sums, first.Bias.AsSpan(from, to - from), sums);
            activation.ApplyTo(MemoryMarshal.Cast<float, T>(sums), MemoryMarshal.Cast<float, T>(Activations(scratch)[from..to]));
        }

        /// <summary>What this thread does once the first product's leading columns are done.</summary>
        private readonly struct StartSecond(FloatDenseActivationDenseStage stage, T[] scratch, int early) : IAfterFirstPart
        {
            public void Run()
            {
                if (early > 0)
                    stage.Begin(scratch, early);
            }
        }

        /// <summary>The first <paramref name="rows"/> activations, and the second product's chains over them.</summary>
        private void Begin(T[] scratch, int rows)
        {
            Activate(scratch, 0, rows);
            Gemv.Multiply(Activations(scratch)[..rows], second.WeightT[..(rows * second.Ld)], second.Ld, Output(scratch));
        }
    }

    /// <summary><c>y = x·Wᵀ + b</c> through <see cref="Gemm"/>, for element types without a vector kernel.</summary>
    private sealed class GenericLinearStage(Linear<T> dense) : Stage
    {
        private readonly Matrix<T> _weight = dense.Weight.Value.Clone();
        private readonly T[] _bias = dense.Bias.Value.Span.ToArray();

        public override int? Outputs(int inputs) => _bias.Length;

        public override ReadOnlySpan<T> Run(ReadOnlySpan<T> x, T[] scratch)
        {
            var y = scratch.AsSpan(0, _bias.Length);
            Gemm.Multiply(1, _bias.Length, x.Length, x, x.Length, false, _weight.Span, _weight.Cols, true, y, y.Length, false);
            TensorPrimitives.Add(y, _bias, y);
            return y;
        }
    }

    private sealed class ActivationStage(Activation<T> activation) : Stage
    {
        public Activation<T> Activation => activation;

        public override ReadOnlySpan<T> Run(ReadOnlySpan<T> x, T[] scratch)
        {
            var y = scratch.AsSpan(0, x.Length);
            activation.ApplyTo(x, y);
            return y;
        }
    }

    private sealed class SoftmaxStage : Stage
    {
        public override ReadOnlySpan<T> Run(ReadOnlySpan<T> x, T[] scratch)
        {
            var y = scratch.AsSpan(0, x.Length);
            RowSoftmax.Forward(x, y, x.Length);
            return y;
        }
    }

    /// <summary>A layer Predictor has no kernel for, run on a one-row batch through its own buffers.</summary>
    private sealed class LayerStage(ILayer<T> layer) : Stage
    {
        private readonly Matrix<T> _row = new(1, 0);

        public override int? Outputs(int inputs)
        {
            _row.Reshape(1, inputs);
            return layer.Forward(_row, training: false).Cols;
        }

        public override ReadOnlySpan<T> Run(ReadOnlySpan<T> x, T[] scratch)
        {
            _row.Reshape(1, x.Length);
            x.CopyTo(_row.Span);
            return layer.Forward(_row, training: false).Span;
        }
    }
}
