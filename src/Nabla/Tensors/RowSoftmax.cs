using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Tensors;

/// <summary>
/// Softmax along each row, <c>p_j = e^(z_j − max z) / Σ_k e^(z_k − max z)</c>, and its backward pass.
/// Subtracting the row maximum keeps every exponent ≤ 0, so nothing overflows
/// (<see cref="TensorPrimitives.SoftMax{T}(ReadOnlySpan{T}, Span{T})"/> does not do this).
/// </summary>
/// <remarks>
/// The exponentials of the whole batch are taken in one vectorised pass, so narrow rows (two or
/// ten classes) do not pay a call per row; the per-row sums and maxima run as plain loops below
/// <see cref="RowOps.ScalarBelow"/> columns, vectorised calls above, and two float classes sixteen
/// rows at a time (<see cref="TwoClassRows.Softmax"/>), with the same bits.
/// </remarks>
public static class RowSoftmax
{
    /// <summary>
    /// Writes the softmax of each <paramref name="cols"/>-wide row of <paramref name="logits"/> into
    /// <paramref name="probabilities"/> (which may be the same span).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> logits, Span<T> probabilities, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Forward(logits, probabilities, cols, [], []);

    /// <summary>
    /// The softmax cross-entropy losses' first step: shapes <paramref name="probabilities"/> like
    /// <paramref name="logits"/> and <paramref name="logSums"/> as 2×rows, writes the softmax, and
    /// returns row 0 of <paramref name="logSums"/>, each row's <c>log Σ_k e^(z_k)</c>. Row 1 is the
    /// row sums' scratch, free again afterwards.
    /// </summary>
    internal static Span<T> ForwardWithLogSums<T>(Matrix<T> logits, Matrix<T> probabilities, Matrix<T> logSums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        probabilities.Reshape(logits.Rows, logits.Cols);
        logSums.Reshape(2, logits.Rows);
        Forward<T>(logits.Span, probabilities.Span, logits.Cols, logSums.Row(0), logSums.Row(1));
        return logSums.Row(0);
    }

    /// <summary>
    /// <see cref="Forward{T}(ReadOnlySpan{T}, Span{T}, int)"/> that also writes each row's
    /// <c>log Σ_k e^(z_k)</c> into <paramref name="logSumExp"/> (one value per row) unless it is empty,
    /// using <paramref name="scratch"/> (as long) for the row sums: the cross-entropy needs it, and it
    /// falls out of the softmax at the cost of one vectorised log pass.
    /// </summary>
    internal static unsafe void Forward<T>(ReadOnlySpan<T> logits, Span<T> probabilities, int cols, Span<T> logSumExp, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (cols == 0)
            return;
        int rows = logits.Length / cols, length = rows * cols;
        bool wantLog = !logSumExp.IsEmpty;
        if (probabilities.Length < length || (wantLog && (logSumExp.Length < rows || scratch.Length < rows)))
            throw new ArgumentException($"Expected room for {rows} rows of {cols} probabilities (and {rows} log-sums); received {probabilities.Length}, {logSumExp.Length} and {scratch.Length}.");
        // Narrow rows run as loops over references: a call (or a bounds-checked slice) per row of two
        // classes costs more than its arithmetic. The operations and their order are the same either way.
        bool narrow = cols < RowOps.ScalarBelow;
        ref T z = ref MemoryMarshal.GetReference(logits);
        ref T p = ref MemoryMarshal.GetReference(probabilities);
        bool twoFloats = cols == 2 && typeof(T) == typeof(float);
        int done = 0;
        if (twoFloats)
        {
            fixed (T* pz = logits, pp = probabilities, pmax = logSumExp, psum = scratch)
                done = TwoClassRows.Softmax((float*)pz, (float*)pp, wantLog ? (float*)pmax : null, wantLog ? (float*)psum : null, rows);
        }
        int first = done * cols;
        for (int start = first, r = done; start < length; start += cols, r++)
        {
            T max;
            if (cols == 2)
            {
                // Two classes (seed 000, the moons): the loops below, unrolled.
                T a = Unsafe.Add(ref z, start), b = Unsafe.Add(ref z, start + 1);
                max = T.MaxNative(a, b);
                Unsafe.Add(ref p, start) = a - max;
                Unsafe.Add(ref p, start + 1) = b - max;
            }
            else if (narrow)
            {
                max = Unsafe.Add(ref z, start);
                for (int k = 1; k < cols; k++)
                    max = T.MaxNative(max, Unsafe.Add(ref z, start + k));
                for (int k = 0; k < cols; k++)
                    Unsafe.Add(ref p, start + k) = Unsafe.Add(ref z, start + k) - max;
            }
            else
            {
                max = TensorPrimitives.Max(logits.Slice(start, cols));
                TensorPrimitives.Subtract(logits.Slice(start, cols), max, probabilities.Slice(start, cols));
            }
            if (wantLog)
                logSumExp[r] = max;
        }
        var rest = probabilities[first..length];
        TensorPrimitives.Exp<T>(rest, rest);
        // Narrow rows: each row's sum is written out once per element, then one vectorised division
        // (the same correctly rounded quotients as dividing element by element, without the scalar
        // divider's latency on every value).
        Span<T> denominators = narrow ? Denominators<T>(length) : default;
        ref T d = ref MemoryMarshal.GetReference(denominators);
        for (int start = first, r = done; start < length; start += cols, r++)
        {
            T sum;
            if (cols == 2)
            {
                sum = T.Zero + Unsafe.Add(ref p, start) + Unsafe.Add(ref p, start + 1);
                Unsafe.Add(ref d, start) = sum;
                Unsafe.Add(ref d, start + 1) = sum;
            }
            else if (narrow)
            {
                sum = T.Zero;
                for (int k = 0; k < cols; k++)
                    sum += Unsafe.Add(ref p, start + k);
                for (int k = 0; k < cols; k++)
                    Unsafe.Add(ref d, start + k) = sum;
            }
            else
            {
                var row = probabilities.Slice(start, cols);
                sum = TensorPrimitives.Sum<T>(row);
                TensorPrimitives.Divide(row, sum, row);
            }
            if (wantLog)
                scratch[r] = sum;
        }
        if (narrow)
            TensorPrimitives.Divide<T>(rest, denominators[first..], rest);
        if (wantLog)
        {
            var sums = scratch[..rows];
            Log(sums);
            TensorPrimitives.Add<T>(logSumExp[..rows], sums, logSumExp[..rows]);
        }
    }

    /// <summary>
    /// The natural logarithm of each row's sum, in place; float sums through double. The float logarithm of
    /// <see cref="TensorPrimitives"/> evaluates powers of <c>x − 1</c> up to the eighth, which are subnormal for x just
    /// above one, where a confident classifier's sums are (one exponential of 1, the others tiny), and x86 takes a
    /// microcode assist per subnormal: 5.8 µs for 1,000 sums in [1, 1.0001] against 0.3 in [1, 2]. The double one
    /// takes 1.0 µs for either (a Taylor series of our own in double, tried instead, took 1.2).
    /// </summary>
    private static void Log<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float))
        {
            TensorPrimitives.Log<T>(values, values);
            return;
        }
        var floats = MemoryMarshal.Cast<T, float>(values);
        Span<double> wide = stackalloc double[256];
        for (int start = 0; start < floats.Length; start += wide.Length)
        {
            var chunk = floats.Slice(start, Math.Min(wide.Length, floats.Length - start));
            var d = wide[..chunk.Length];
            TensorPrimitives.ConvertTruncating<float, double>(chunk, d);
            TensorPrimitives.Log(d, d);
            TensorPrimitives.ConvertTruncating<double, float>(d, chunk);
        }
    }

    /// <summary>This thread's buffer of at least <paramref name="length"/> values of <typeparamref name="T"/>, grown when needed.</summary>
    private static Span<T> Denominators<T>(int length) where T : unmanaged
    {
        if (Buffer<T>.Values is not { } values || values.Length < length)
            Buffer<T>.Values = values = new T[length];
        return values.AsSpan(0, length);
    }

    private static class Buffer<T>
    {
        [ThreadStatic] public static T[]? Values;
    }

    /// <summary>
    /// The Jacobian-vector product of softmax: given <c>p</c> and <c>g = dL/dp</c>, writes
    /// <c>dL/dz_j = Σ_i g_i ∂p_i/∂z_j = p_j (g_j − Σ_i g_i p_i)</c>, from
    /// <c>∂p_i/∂z_j = p_i(δ_ij − p_j)</c> (seeds 001 and 004).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> probabilities, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start + cols <= probabilities.Length && cols > 0; start += cols)
        {
            var p = probabilities.Slice(start, cols);
            var g = outputGradient.Slice(start, cols);
            var dz = inputGradient.Slice(start, cols);
            if (cols < RowOps.ScalarBelow)
            {
                T dot = T.Zero;
                for (int k = 0; k < cols; k++)
                    dot += g[k] * p[k];
                for (int k = 0; k < cols; k++)
                    dz[k] = (g[k] - dot) * p[k];
                continue;
            }
            T d = TensorPrimitives.Dot(g, p);
            TensorPrimitives.Subtract(g, d, dz);
            TensorPrimitives.Multiply(dz, p, dz);
        }
    }
}
