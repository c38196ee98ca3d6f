using System.Numerics;
using System.Numerics.Tensors;
using System.Text.Json.Serialization;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>
/// A per-column affine input transform, <c>x' = (x − Offset[j]) / Scale[j]</c>, fitted on training
/// data only and then applied unchanged to validation, test and prediction inputs. Its parameters are
/// plain arrays so a model file can store them and rebuild the exact transform with the constructor.
/// A column that is constant in the training data gets scale 1 (as scikit-learn does), so it maps to
/// zero instead of dividing by zero.
/// </summary>
public sealed class Scaling
{
    /// <summary>Rebuilds a fitted transform from its stored parameters.</summary>
    /// <exception cref="ArgumentException">An array is missing, their lengths differ, or a value is not finite (or a scale is zero).</exception>
    public Scaling(ScalingKind kind, double[] offset, double[] scale)
    {
        // A model file's JSON can hold "offset": null, which the deserializer passes on as it is.
        if (offset is null || scale is null)
            throw new ArgumentException($"Expected an offset and a scale per feature; received {(offset is null ? "no offsets" : "no scales")}.", offset is null ? nameof(offset) : nameof(scale));
        if (offset.Length != scale.Length)
            throw new ArgumentException($"Expected as many scales as offsets ({offset.Length}); received {scale.Length}.", nameof(scale));
        for (int j = 0; j < scale.Length; j++)
        {
            if (!double.IsFinite(offset[j]))
                throw new ArgumentException($"Expected finite offsets; received {offset[j]} for column {j}.", nameof(offset));
            if (!double.IsFinite(scale[j]) || scale[j] == 0)
                throw new ArgumentException($"Expected finite non-zero scales; received {scale[j]} for column {j}.", nameof(scale));
        }
        Kind = kind;
        Offset = offset;
        Scale = scale;
    }

    /// <summary>How the parameters were fitted.</summary>
    [JsonPropertyName("kind")]
    public ScalingKind Kind { get; }

    /// <summary>Subtracted from each column.</summary>
    [JsonPropertyName("offset")]
    public double[] Offset { get; }

    /// <summary>Each column is divided by this after the offset.</summary>
    [JsonPropertyName("scale")]
    public double[] Scale { get; }

    /// <summary>Number of columns the transform applies to.</summary>
    [JsonIgnore]
    public int FeatureCount => Offset.Length;

    /// <summary>Fits a transform of <paramref name="kind"/> to the columns of <paramref name="training"/>, accumulating in double.</summary>
    public static Scaling Fit<T>(ScalingKind kind, Matrix<T> training) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (training.Rows == 0)
            throw new ArgumentException("Expected at least one training row to fit a scaling; received none.", nameof(training));
        int cols = training.Cols;
        var offset = new double[cols];
        var scale = new double[cols];
        Array.Fill(scale, 1.0);
        for (int j = 0; j < cols; j++)
        {
            switch (kind)
            {
                case ScalingKind.Standard:
                    double mean = 0;
                    for (int i = 0; i < training.Rows; i++)
                        mean += double.CreateChecked(training[i, j]);
                    mean /= training.Rows;
                    double variance = 0;
                    for (int i = 0; i < training.Rows; i++)
                    {
                        double d = double.CreateChecked(training[i, j]) - mean;
                        variance += d * d;
                    }
                    double std = Math.Sqrt(variance / training.Rows);
                    (offset[j], scale[j]) = (mean, std > 0 ? std : 1.0);
                    break;
                case ScalingKind.MinMax:
                    double min = double.PositiveInfinity, max = double.NegativeInfinity;
                    for (int i = 0; i < training.Rows; i++)
                    {
                        double v = double.CreateChecked(training[i, j]);
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }
                    (offset[j], scale[j]) = (min, max > min ? max - min : 1.0);
                    break;
            }
        }
        return new Scaling(kind, offset, scale);
    }

    /// <summary>Transforms <paramref name="features"/> in place and returns it.</summary>
    public Matrix<T> Apply<T>(Matrix<T> features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (offset, scale) = Parameters<T>(features);
        for (int i = 0; i < features.Rows; i++)
        {
            var row = features.Row(i);
            TensorPrimitives.Subtract(row, offset, row);
            TensorPrimitives.Divide(row, scale, row);
        }
        return features;
    }

    /// <summary>Undoes <see cref="Apply"/> in place (<c>x = x' · Scale + Offset</c>) and returns <paramref name="features"/>.</summary>
    public Matrix<T> Invert<T>(Matrix<T> features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (offset, scale) = Parameters<T>(features);
        for (int i = 0; i < features.Rows; i++)
        {
            var row = features.Row(i);
            TensorPrimitives.Multiply(row, scale, row);
            TensorPrimitives.Add(row, offset, row);
        }
        return features;
    }

    private (T[] Offset, T[] Scale) Parameters<T>(Matrix<T> features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (features.Cols != FeatureCount)
            throw new ArgumentException($"This scaling was fitted on {FeatureCount} features; received a matrix with {features.Cols} columns.", nameof(features));
        return (Offset.Select(T.CreateChecked).ToArray(), Scale.Select(T.CreateChecked).ToArray());
    }
}
