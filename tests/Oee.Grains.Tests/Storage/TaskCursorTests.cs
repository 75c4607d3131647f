using Oee.Grains.Storage;

namespace Oee.Grains.Tests.Catalog;

public sealed class TaskCursorTests
{
    [Fact]
    public void Round_trips_time_and_id()
    {
        var cursor = new TaskCursor(new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero).AddTicks(7), "id:with|bar.x");
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
}
