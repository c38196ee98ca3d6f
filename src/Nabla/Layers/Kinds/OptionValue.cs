using System.Globalization;

namespace Nabla.Layers.Kinds;

/// <summary>A layer option's value: a number, a truth value, or a pair of whole numbers (height, width).</summary>
public readonly record struct OptionValue
{
    private OptionValue(double? number, bool? flag, (int, int)? pair)
    {
        Number = number;
        Flag = flag;
        Pair = pair;
    }

    /// <summary>The number, when the value is one.</summary>
    public double? Number { get; }

    /// <summary>The truth value, when the value is one.</summary>
    public bool? Flag { get; }

    /// <summary>The pair, when the value is one.</summary>
    public (int Height, int Width)? Pair { get; }

    /// <summary>A number.</summary>
    public static OptionValue Of(double number) => new(number, null, null);

    /// <summary>A truth value.</summary>
    public static OptionValue Of(bool flag) => new(null, flag, null);

    /// <summary>A pair of whole numbers.</summary>
    public static OptionValue Of(int height, int width) => new(null, null, (height, width));

    /// <summary>As PyTorch writes it: <c>784</c>, <c>0.5</c>, <c>True</c>, <c>(3, 5)</c>.</summary>
    public override string ToString() =>
        Number is { } n ? n.ToString("R", CultureInfo.InvariantCulture)
        : Flag is { } f ? (f ? "True" : "False")
        : Pair is var (h, w) ? string.Create(CultureInfo.InvariantCulture, $"({h}, {w})") : "";
}
