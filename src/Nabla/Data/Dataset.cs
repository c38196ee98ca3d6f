using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>
/// Samples in memory: one feature row per sample and, for each, a target row. For classification the
/// targets are the one-hot rows of <see cref="Labels"/>; for regression they are the values to fit.
/// </summary>
public sealed class Dataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SampleShape? _sampleShape;

    /// <summary>A classification dataset: integer labels in [0, classNames.Count).</summary>
    public Dataset(Matrix<T> features, int[] labels, IReadOnlyList<string> classNames, string name)
    {
        if (labels.Length != features.Rows)
            throw new ArgumentException($"Expected one label per feature row ({features.Rows}); received {labels.Length}.", nameof(labels));
        if (classNames.Count < 1)
            throw new ArgumentException("Expected at least one class name; received none.", nameof(classNames));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException($"Label {labels[i]} of sample {i} is outside [0, {classNames.Count}).", nameof(labels));
        Features = features;
        Labels = labels;
        ClassNames = classNames;
        Targets = OneHot(labels, classNames.Count);
        Name = name;
    }

    /// <summary>A regression dataset: <paramref name="targets"/> has one row per sample.</summary>
    public Dataset(Matrix<T> features, Matrix<T> targets, string name)
    {
        if (targets.Rows != features.Rows)
            throw new ArgumentException($"Expected one target row per feature row ({features.Rows}); received {targets.Rows}.", nameof(targets));
        Features = features;
        Targets = targets;
        Name = name;
    }

    /// <summary>Feature rows, one per sample.</summary>
    public Matrix<T> Features { get; }

    /// <summary>Target rows: one-hot for classification, values for regression.</summary>
    public Matrix<T> Targets { get; }

    /// <summary>Class index of each sample, or null for regression.</summary>
    public int[]? Labels { get; }

    /// <summary>Name of each class, or null for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Name of each feature column, when the source had them.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>
    /// The shape of one sample: <c>[features]</c> by default, <c>[C, H, W]</c> for images (IDX images are 1×H×W),
    /// each row holding the sample's values C-major as PyTorch's <c>x[n].flatten()</c> would.
    /// </summary>
    /// <exception cref="ArgumentException">The shape does not hold one feature row's values.</exception>
    public SampleShape SampleShape
    {
        get => _sampleShape ?? SampleShape.Features(Features.Cols);
        init => _sampleShape = value.Size == Features.Cols
            ? value
            : throw new ArgumentException($"A sample shape of {value} holds {value.Size} values; each sample has {Features.Cols} features.", nameof(value));
    }

    /// <summary>Where the data came from (a built-in name or a path).</summary>
    public string Name { get; }

    /// <summary>True when the samples have class labels.</summary>
    public bool IsClassification => Labels is not null;

    /// <summary>Number of samples.</summary>
    public int Count => Features.Rows;

    /// <summary>Number of features per sample.</summary>
    public int FeatureCount => Features.Cols;

    /// <summary>Width of a target row: the number of classes, or of regression outputs.</summary>
    public int TargetCount => Targets.Cols;

    /// <summary>A new dataset holding copies of the samples at <paramref name="indices"/>, in that order, with the same sample shape.</summary>
    public Dataset<T> Subset(ReadOnlySpan<int> indices)
    {
        var features = Gather(Features, indices);
        if (Labels is not null)
        {
            var labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++)
                labels[i] = Labels[indices[i]];
            return new Dataset<T>(features, labels, ClassNames!, Name) { FeatureNames = FeatureNames, SampleShape = SampleShape };
        }
        return new Dataset<T>(features, Gather(Targets, indices), Name) { FeatureNames = FeatureNames, SampleShape = SampleShape };
    }

    /// <summary>The same samples read as <paramref name="shape"/> (a CSV row of 784 pixels as a 1×28×28 image); the features are shared, not copied.</summary>
    /// <exception cref="ArgumentException">The shape does not hold one feature row's values.</exception>
    public Dataset<T> WithSampleShape(SampleShape shape) => Labels is not null
        ? new Dataset<T>(Features, Labels, ClassNames!, Name) { FeatureNames = FeatureNames, SampleShape = shape }
        : new Dataset<T>(Features, Targets, Name) { FeatureNames = FeatureNames, SampleShape = shape };

    /// <summary>Copies the rows of <paramref name="source"/> at <paramref name="indices"/> into a new matrix.</summary>
    public static Matrix<T> Gather(Matrix<T> source, ReadOnlySpan<int> indices)
    {
        var result = new Matrix<T>(indices.Length, source.Cols);
        for (int i = 0; i < indices.Length; i++)
            source.Row(indices[i]).CopyTo(result.Row(i));
        return result;
    }

    /// <summary>One row per label with a one in the label's column and zeros elsewhere.</summary>
    public static Matrix<T> OneHot(ReadOnlySpan<int> labels, int classCount)
    {
        var m = new Matrix<T>(labels.Length, classCount);
        for (int i = 0; i < labels.Length; i++)
            m[i, labels[i]] = T.One;
        return m;
    }
}
