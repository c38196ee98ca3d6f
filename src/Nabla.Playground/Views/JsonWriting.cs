using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Nabla.Playground.Views;

/// <summary>The pieces frames are written with: compact numbers, arrays, and null where JSON has no NaN.</summary>
internal static class JsonWriting
{
    /// <summary>An array of floats with four significant digits (plenty for drawing, and frames stay small); null for a non-finite one.</summary>
    public static void Floats(this Utf8JsonWriter w, string name, ReadOnlySpan<float> values)
    {
        w.WriteStartArray(name);
        foreach (float v in values)
        {
            if (float.IsFinite(v))
                w.WriteRawValue(v.ToString("G4", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal), skipInputValidation: true);
            else
                w.WriteNullValue();
        }
        w.WriteEndArray();
    }

    /// <summary>An array of doubles.</summary>
    public static void Numbers(this Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    /// <summary>An array of strings.</summary>
    public static void Strings(this Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>A finite number, or null (JSON has no NaN).</summary>
    public static void Number(this Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
            w.WriteNumber(name, value);
        else
            w.WriteNull(name);
    }

    /// <summary>The JSON object <paramref name="body"/> writes, as text.</summary>
    public static string Object(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
