using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecoveryConsole.Web.Hubs;

/// <summary>
/// A stream item whose JSON was made beforehand (a <see cref="RunStreamEvent"/> as the hub's own serializer writes it): SignalR
/// copies the bytes into each client's message instead of serializing the lines again per client.
/// </summary>
[JsonConverter(typeof(SerializedEventConverter))]
public sealed class SerializedEvent(byte[] json)
{
    public ReadOnlyMemory<byte> Json { get; } = json;
}

public sealed class SerializedEventConverter : JsonConverter<SerializedEvent>
{
    public override SerializedEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Clients read a followed event as a RunStreamEvent.");

    // Made by the same serializer moments ago: no need to validate it again for every client.
    public override void Write(Utf8JsonWriter writer, SerializedEvent value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Json.Span, skipInputValidation: true);
}
