using Oee.Grains.Storage;

namespace Oee.Grains.Tests.Storage;

public sealed class TaskKeyTests
{
    [Theory]
    [InlineData("0199a0b1-2c3d-7e4f-8a9b-0c1d2e3f4a5b")]
    [InlineData("0199A0B1-2C3D-7E4F-8A9B-0C1D2E3F4A5B")]
    [InlineData("0199a0b1-2c3d-7e4f-8a9b-0c1d2e3f4A5b")]
    [InlineData("0199a0b1-2c3d-7e4f-8a9b-0c1d2e3f4a5 ")]
    [InlineData(" 199a0b1-2c3d-7e4f-8a9b-0c1d2e3f4a5b")]
    [InlineData("0199a0b1-2c3d-7e4f-8a9b-0c1d-e3f4a5b")]
    [InlineData("0199a0b1--2c3d-7e4f-8a9b-0c1d2e3f4a5")]
    [InlineData("{0199a0b1-2c3d-7e4f-8a9b-0c1d2e3f4a5b}")]
    [InlineData("0199a0b12c3d7e4f8a9b0c1d2e3f4a5b")]
    [InlineData("my-task:42")]
    [InlineData("x")]
    [InlineData("0199a0b1-2c3d-7e4f-8a9b-0c1d2e3f4a5g")]
    public void Gives_the_id_back_exactly(string id)
    {
        Assert.Equal(id, TaskKey.Of(id).ToString());
    }

    [Fact]
    public void Equal_ids_give_equal_keys_and_different_ids_different_keys()
    {
        var id = Guid.CreateVersion7().ToString();

        Assert.Equal(TaskKey.Of(id), TaskKey.Of(new string(id.AsSpan())));
        Assert.Equal(TaskKey.Of(id).GetHashCode(), TaskKey.Of(new string(id.AsSpan())).GetHashCode());
        Assert.NotEqual(TaskKey.Of(id), TaskKey.Of(id.ToUpperInvariant()));
        Assert.NotEqual(TaskKey.Of(id), TaskKey.Of(Guid.CreateVersion7().ToString()));
        Assert.Equal(TaskKey.Of("custom"), TaskKey.Of("custom"));
    }

    [Fact]
    public void Orders_as_the_ids_ordinal_order_for_guid_and_text_ids_mixed()
    {
        var random = new Random(7);
        var ids = Enumerable.Range(0, 200)
            .Select(i => (i % 4) switch
            {
                0 => Guid.CreateVersion7().ToString(),
                1 => new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString(),
                2 => Guid.NewGuid().ToString().ToUpperInvariant(),
                _ => $"{(char)('0' + random.Next(75))}task-{random.Next(1000)}",
            })
            .ToList();

        foreach (var x in ids)
        {
            foreach (var y in ids.Take(50))
            {
                Assert.Equal(Math.Sign(string.CompareOrdinal(x, y)), Math.Sign(TaskKey.CompareOrdinal(TaskKey.Of(x), TaskKey.Of(y))));
            }
        }
    }
}
