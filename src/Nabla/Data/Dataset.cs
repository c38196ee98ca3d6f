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

    /// <summary>The name of the target column (a CSV file's label or regression column), when the source had one.</summary>
    public string? TargetName { get; init; }

    /// <summary>
    /// The features are the raw values divided by this (an IDX file's pixel bytes, 0–255, divided by 255); null when
    /// they are the raw values. A model trained on the data records it, so it divides raw inputs alike.
    /// </summary>
    public double? PixelScale { get; init; }

    /// <summary>
    /// The raw columns the features were encoded from, when a column held text (one-hot encoded into a feature per
    /// category); null when every feature is a raw column's number.
    /// </summary>
    public IReadOnlyList<InputColumn>? Columns { get; init; }

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
            return Describe(new Dataset<T>(features, labels, ClassNames!, Name));
        }
        return Describe(new Dataset<T>(features, Gather(Targets, indices), Name));
    }

    /// <summary>The same samples with other features (one row each, such as the scaled ones), described alike.</summary>
    /// <exception cref="ArgumentException"><paramref name="features"/> has another number of rows.</exception>
    public Dataset<T> WithFeatures(Matrix<T> features) =>
        Describe(Labels is not null ? new Dataset<T>(features, Labels, ClassNames!, Name) : new Dataset<T>(features, Targets, Name));

    /// <summary>The same regression samples with other targets (one row each, such as the scaled ones), described alike.</summary>
    /// <exception cref="InvalidOperationException">The dataset has class labels, whose targets are their one-hot rows.</exception>
    public Dataset<T> WithTargets(Matrix<T> targets) => Labels is null
        ? Describe(new Dataset<T>(Features, targets, Name))
        : throw new InvalidOperationException($"'{Name}' has class labels; its targets are their one-hot rows.");

    /// <summary>The same samples with their labels numbered by <paramref name="classNames"/> (a model's classes), described alike.</summary>
    /// <exception cref="ArgumentException">A label is outside the classes.</exception>
    public Dataset<T> WithClasses(int[] labels, IReadOnlyList<string> classNames) => Describe(new Dataset<T>(Features, labels, classNames, Name));

    /// <summary><paramref name="other"/> with this dataset's feature and target names, pixel scale, columns and sample shape (the shape while it still holds a row).</summary>
    private Dataset<T> Describe(Dataset<T> other) =>
        new(other, FeatureNames, TargetName, PixelScale, Columns, _sampleShape);

    private Dataset(Dataset<T> other, IReadOnlyList<string>? featureNames, string? targetName, double? pixelScale, IReadOnlyList<InputColumn>? columns,
        SampleShape? sampleShape)
    {
        Features = other.Features;
        Targets = other.Targets;
        Labels = other.Labels;
        ClassNames = other.ClassNames;
        Name = other.Name;
        FeatureNames = featureNames;
        TargetName = targetName;
        PixelScale = pixelScale;
        Columns = columns;
        _sampleShape = sampleShape?.Size == other.Features.Cols ? sampleShape : null;
    }

    /// <summary>The same samples read as <paramref name="shape"/> (a CSV row of 784 pixels as a 1×28×28 image); the features are shared, not copied.</summary>
    /// <exception cref="ArgumentException">The shape does not hold one feature row's values.</exception>
    public Dataset<T> WithSampleShape(SampleShape shape) => shape.Size == Features.Cols
        ? new(this, FeatureNames, TargetName, PixelScale, Columns, shape)
        : throw new ArgumentException($"A sample shape of {shape} holds {shape.Size} values; each sample has {Features.Cols} features.", nameof(shape));

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
