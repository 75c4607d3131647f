using System.Text.Json;
using Oee.Grains.Contracts;
using Oee.Grains.Events;

namespace Oee.Grains.Tests.Events;

public sealed class TaskEventJsonTests
{
    [Fact]
    public void The_json_has_the_documented_fields_and_wire_names()
    {
        var at = new DateTimeOffset(2026, 11, 28, 19, 40, 12, TimeSpan.Zero);
        var json = TaskEventJson.ToJson(new TaskEvent
        {
            Id = 42,
            TaskId = "t1",
            Queue = "q",
            Kind = TaskEventKind.Progress,
            OldStatus = OeeTaskStatus.Running,
            Status = OeeTaskStatus.Running,
            Attempt = 2,
            Version = 7,
            At = at,
            Reason = TaskEventReasons.Progress,
            Silo = "s",
            Progress = new TaskProgress(40, "half", at),
        });

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("42", root.GetProperty("id").GetString());
        Assert.Equal("t1", root.GetProperty("taskId").GetString());
        Assert.Equal("progress", root.GetProperty("kind").GetString());
        Assert.Equal("running", root.GetProperty("oldStatus").GetString());
        Assert.Equal("running", root.GetProperty("status").GetString());
        Assert.Equal(2, root.GetProperty("attempt").GetInt32());
        Assert.Equal(7, root.GetProperty("version").GetInt64());
        Assert.Equal(at, root.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(40, root.GetProperty("progress").GetProperty("percent").GetInt32());
        Assert.Equal("half", root.GetProperty("progress").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
    }

    [Fact]
    public void A_first_event_has_a_null_old_status_and_an_unnumbered_one_no_id()
    {
        var root = JsonDocument.Parse(TaskEventJson.ToJson(new TaskEvent { TaskId = "t", Queue = "q", Status = OeeTaskStatus.Queued, Reason = "submitted" })).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("oldStatus").ValueKind);
        Assert.False(root.TryGetProperty("id", out _));
    }
}
