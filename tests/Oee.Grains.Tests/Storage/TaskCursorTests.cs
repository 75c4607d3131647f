using Oee.Grains.Storage;

namespace Oee.Grains.Tests.Catalog;

public sealed class TaskCursorTests
{
    [Fact]
    public void Round_trips_time_and_id()
    {
        var cursor = new TaskCursor(new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero).AddTicks(7), "id:with.bar-x_1");
        Assert.True(TaskCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("MTIz")]
    [InlineData("fDEyMw")]
    [InlineData("YWJjfGlk")]
    public void Rejects_what_it_did_not_issue(string text) => Assert.False(TaskCursor.TryDecode(text, out _));

    [Theory]
    [InlineData("a\0b")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    public void Rejects_a_well_formed_cursor_whose_id_no_task_can_have(string id)
    {
        // Made up by a client: such an id must not reach a database query (PostgreSQL refuses a NUL in text).
        var madeUp = new TaskCursor(new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero), id).Encode();
        Assert.False(TaskCursor.TryDecode(madeUp, out _));
    }
}
