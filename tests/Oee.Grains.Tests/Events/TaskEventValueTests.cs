using Oee.Grains.Contracts;
using Oee.Grains.Events;
using Oee.Grains.Storage;

namespace Oee.Grains.Tests.Events;

/// <summary>An event kept by value says what its event object says (the webhook dispatcher decides on the value).</summary>
public sealed class TaskEventValueTests
{
    public static TheoryData<TaskEventKind, OeeTaskStatus> KindsAndStatuses()
    {
        var data = new TheoryData<TaskEventKind, OeeTaskStatus>();
        foreach (var kind in Enum.GetValues<TaskEventKind>())
        {
            foreach (var status in Enum.GetValues<OeeTaskStatus>())
            {
                data.Add(kind, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndStatuses))]
    public void Is_final_exactly_when_its_event_is(TaskEventKind kind, OeeTaskStatus status)
    {
        var value = new TaskEventValue { Task = TaskKey.Of("t"), Queue = "q", Kind = kind, Status = status, Reason = "x" };

        Assert.Equal(value.ToTaskEvent().IsFinal, value.IsFinal);
    }

    [Fact]
    public void A_status_change_to_done_is_final_and_progress_while_running_is_not()
    {
        Assert.True(new TaskEventValue { Task = TaskKey.Of("t"), Queue = "q", Kind = TaskEventKind.Status, Status = OeeTaskStatus.Done, Reason = "x" }.IsFinal);
        Assert.False(new TaskEventValue { Task = TaskKey.Of("t"), Queue = "q", Kind = TaskEventKind.Progress, Status = OeeTaskStatus.Running, Reason = "x" }.IsFinal);
    }
}
