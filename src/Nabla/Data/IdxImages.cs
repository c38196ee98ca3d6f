namespace Nabla.Data;

/// <summary>Images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> × <see cref="Columns"/> bytes, row-major, one after another.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, ReadOnlyMemory<byte> Pixels)
{
    /// <summary>Pixels per image, <c>Rows * Columns</c>.</summary>
    public int PixelsPerImage => Rows * Columns;
}
