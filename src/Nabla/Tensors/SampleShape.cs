using System.Globalization;

namespace Nabla.Tensors;

/// <summary>
/// The shape of one sample, without the batch dimension: <c>[features]</c> for a table row, <c>[C, H, W]</c>
/// for an image. A batch is a <see cref="Matrix{T}"/> with one sample per row, the sample's values in
/// row-major (C-major) order, so a row of a <c>[C, H, W]</c> batch is PyTorch's <c>x[n]</c> flattened.
/// </summary>
public sealed class SampleShape : IEquatable<SampleShape>
{
    private readonly int[] _dims;

    /// <summary>A shape of the given dimensions, each at least 1.</summary>
    /// <exception cref="ArgumentException">No dimensions, a dimension below 1, or more than <see cref="int.MaxValue"/> values.</exception>
    public SampleShape(params int[] dims)
    {
        if (dims.Length == 0)
            throw new ArgumentException("Expected at least one dimension; received none.", nameof(dims));
        long size = 1;
        foreach (int d in dims)
        {
            if (d < 1)
                throw new ArgumentException($"Expected dimensions of at least 1; received {Format(dims)}.", nameof(dims));
            size *= d;
            if (size > int.MaxValue)
                throw new ArgumentException($"The shape {Format(dims)} holds more than {int.MaxValue} values.", nameof(dims));
        }
        _dims = (int[])dims.Clone();
        Size = (int)size;
    }

    /// <summary>A table row of <paramref name="count"/> features.</summary>
    public static SampleShape Features(int count) => new(count);

    /// <summary>An image of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static SampleShape Image(int channels, int height, int width) => new(channels, height, width);

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Dims => _dims;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>Number of values in one sample (the batch matrix's columns).</summary>
    public int Size { get; }

    /// <summary>True for <c>[C, H, W]</c>.</summary>
    public bool IsImage => Rank == 3;

    /// <summary>Channels of an image shape.</summary>
    public int Channels => IsImage ? _dims[0] : throw new InvalidOperationException($"{this} is not an image shape (C×H×W).");

    /// <summary>Height of an image shape.</summary>
    public int Height => IsImage ? _dims[1] : throw new InvalidOperationException($"{this} is not an image shape (C×H×W).");

    /// <summary>Width of an image shape.</summary>
    public int Width => IsImage ? _dims[2] : throw new InvalidOperationException($"{this} is not an image shape (C×H×W).");

    /// <summary>Parses <c>"1,28,28"</c>, <c>"1x28x28"</c> or <c>"784"</c>.</summary>
    /// <exception cref="FormatException">Not a list of positive integers.</exception>
    public static SampleShape Parse(string text)
    {
        var parts = text.Split([',', 'x', '×', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var dims = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] < 1)
                throw new FormatException($"Expected a shape such as 1,28,28 (positive integers); received '{text}'.");
        if (dims.Length == 0)
            throw new FormatException($"Expected a shape such as 1,28,28; received '{text}'.");
        return new SampleShape(dims);
    }

    /// <inheritdoc />
    public bool Equals(SampleShape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SampleShape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in _dims)
            hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary><c>784</c> or <c>1×28×28</c>.</summary>
    public override string ToString() => Format(_dims);

    private static string Format(int[] dims) => string.Join("×", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));
}
