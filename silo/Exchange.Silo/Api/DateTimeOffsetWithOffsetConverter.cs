using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Exchange.Silo.Api;

/// <summary>
/// A time in a request must say its offset from UTC ("Z" or "+08:00"). Without one, System.Text.Json reads it in the
/// server's own time zone, so the same request would mean another moment on a server configured differently, and a
/// celebrity typing local time would publish a slot hours off.
/// </summary>
public sealed partial class DateTimeOffsetWithOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Without a message, System.Text.Json reports the field as one that could not be converted, with its path,
        // which JsonProblemDetail turns into the API's words.
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value) || !EndsWithOffset().IsMatch(reader.GetString()!))
        {
            throw new JsonException();
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    [GeneratedRegex(@"T[^Zz+\-]*([Zz]|[+\-]\d{2}:\d{2})$")]
    private static partial Regex EndsWithOffset();
}
