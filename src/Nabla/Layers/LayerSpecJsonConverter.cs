using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.Layers.Kinds;

namespace Nabla.Layers;

/// <summary>
/// Reads and writes a <see cref="LayerSpec"/> as one flat JSON object: <c>"kind"</c>, then each option as a
/// number, <c>true</c>/<c>false</c>, or a two-number array. Anything else (a null, a string, a nested object) is
/// a <see cref="JsonException"/> naming the key.
/// </summary>
internal sealed class LayerSpecJsonConverter : JsonConverter<LayerSpec>
{
    /// <inheritdoc />
    public override LayerSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"Expected a layer object such as {{\"kind\": \"Linear\", \"in_features\": 2, \"out_features\": 3}}; received {Describe(reader.TokenType)}.");
        string? kind = null;
        var values = new List<KeyValuePair<string, OptionValue>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (key == "kind")
            {
                kind = reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } k
                    ? k
                    : throw new JsonException($"Expected \"kind\" to be a module name such as \"Linear\"; received {Describe(reader.TokenType)}.");
                continue;
            }
            values.Add(new(key, ReadValue(ref reader, key)));
        }
        if (kind is null)
            throw new JsonException("A layer object has no \"kind\".");
        try
        {
            return new LayerSpec(kind, values);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, LayerSpec value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", value.Kind);
        foreach (var (key, option) in value.Options)
        {
            writer.WritePropertyName(key);
            if (option.Number is { } n)
                writer.WriteNumberValue(n);
            else if (option.Flag is { } f)
                writer.WriteBooleanValue(f);
            else if (option.Pair is var (h, w))
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(h);
                writer.WriteNumberValue(w);
                writer.WriteEndArray();
            }
        }
        writer.WriteEndObject();
    }

    private static OptionValue ReadValue(ref Utf8JsonReader reader, string key)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return OptionValue.Of(reader.GetDouble());
            case JsonTokenType.True or JsonTokenType.False:
                return OptionValue.Of(reader.GetBoolean());
            case JsonTokenType.StartArray:
                var items = new List<int>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int v)
                        ? v
                        : throw new JsonException($"Layer option \"{key}\": expected whole numbers in the array; received {Describe(reader.TokenType)}."));
                return items.Count == 2
                    ? OptionValue.Of(items[0], items[1])
                    : throw new JsonException($"Layer option \"{key}\": expected a pair [height, width]; received {items.Count} numbers.");
            default:
                throw new JsonException($"Layer option \"{key}\": expected a number, true/false or a pair; received {Describe(reader.TokenType)}.");
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Null => "null",
        JsonTokenType.String => "a string",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        _ => token.ToString(),
    };
}
