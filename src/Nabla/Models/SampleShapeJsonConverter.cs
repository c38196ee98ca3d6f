using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>A <see cref="SampleShape"/> in JSON: an array of positive whole numbers, <c>[1, 28, 28]</c>.</summary>
internal sealed class SampleShapeJsonConverter : JsonConverter<SampleShape>
{
    /// <inheritdoc />
    public override SampleShape Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException($"Expected an input shape such as [1, 28, 28]; received {reader.TokenType}.");
        var dims = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            dims.Add(reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int d) && d > 0
                ? d
                : throw new JsonException("Expected an input shape of positive whole numbers, such as [1, 28, 28]."));
        try
        {
            return new SampleShape([.. dims]);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, SampleShape value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (int d in value.Dims)
            writer.WriteNumberValue(d);
        writer.WriteEndArray();
    }
}
