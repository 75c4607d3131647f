using System.Buffers;
using System.Text;
using System.Text.Json;
using Oee.Grains.Contracts;

namespace Oee.Grains.Events;

/// <summary>
/// The one JSON form of a <see cref="TaskEvent"/> (README "The event (JSON)"): SSE data and webhook
/// bodies are written by it, so they never differ.
/// </summary>
public static class TaskEventJson
{
    /// <summary>The wire name of an event kind.</summary>
    public static string KindName(TaskEventKind kind) => kind switch
    {
        TaskEventKind.Status => "status",
        TaskEventKind.Changed => "changed",
        TaskEventKind.Progress => "progress",
        TaskEventKind.Snapshot => "snapshot",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The event as UTF-8 JSON.</summary>
    public static byte[] ToUtf8(TaskEvent taskEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, taskEvent);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The event as JSON text.</summary>
    public static string ToJson(TaskEvent taskEvent) => Encoding.UTF8.GetString(ToUtf8(taskEvent));

    /// <summary>Writes the event as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, TaskEvent taskEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(taskEvent);
        writer.WriteStartObject();
        if (taskEvent.Id > 0)
        {
            writer.WriteString("id", taskEvent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        writer.WriteString("taskId", taskEvent.TaskId);
        writer.WriteString("queue", taskEvent.Queue);
        if (taskEvent.Tenant is { } tenant)
        {
            writer.WriteString("tenant", tenant);
        }

        writer.WriteString("kind", KindName(taskEvent.Kind));
        if (taskEvent.OldStatus is { } old)
        {
            writer.WriteString("oldStatus", old.ToWireName());
        }
        else
        {
            writer.WriteNull("oldStatus");
        }

        writer.WriteString("status", taskEvent.Status.ToWireName());
        writer.WriteNumber("attempt", taskEvent.Attempt);
        writer.WriteNumber("version", taskEvent.Version);
        writer.WriteString("at", taskEvent.At);
        writer.WriteString("reason", taskEvent.Reason);
        writer.WriteString("silo", taskEvent.Silo);
        if (taskEvent.Progress is { } progress)
        {
            writer.WriteStartObject("progress");
            writer.WriteNumber("percent", progress.Percent);
            writer.WriteString("message", progress.Message);
            writer.WriteString("at", progress.At);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("progress");
        }

        if (taskEvent.Error is { } error)
        {
            writer.WriteStartObject("error");
            writer.WriteString("message", error.Message);
            writer.WriteString("type", error.Type);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("error");
        }

        writer.WriteEndObject();
    }
}
