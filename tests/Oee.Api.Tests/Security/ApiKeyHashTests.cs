using Oee.Api.Security;

namespace Oee.Api.Tests.Security;

public sealed class ApiKeyHashTests
{
    [Fact]
    public void A_new_key_verifies_against_its_hash_and_names_its_key_id()
    {
        var key = ApiKeyHash.NewKey("ci7");
        var hash = ApiKeyHash.Hash(key);

        Assert.StartsWith("oee_ci7_", key, StringComparison.Ordinal);
        Assert.Equal("ci7", ApiKeyHash.KeyIdOf(key));
        Assert.True(ApiKeyHash.Verify(key, hash));
        Assert.DoesNotContain(key, hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_hashes_of_one_key_differ_by_their_salt_and_both_verify()
    {
        var key = ApiKeyHash.NewKey("a");
        var first = ApiKeyHash.Hash(key);
        var second = ApiKeyHash.Hash(key);

        Assert.NotEqual(first, second);
        Assert.True(ApiKeyHash.Verify(key, first));
        Assert.True(ApiKeyHash.Verify(key, second));
    }

    [Fact]
    public void Another_key_or_a_tampered_hash_does_not_verify()
    {
        var key = ApiKeyHash.NewKey("a");
        var hash = ApiKeyHash.Hash(key);
        var parts = hash.Split(':');
        var tampered = $"{parts[0]}:{parts[1]}:{Convert.ToBase64String(new byte[32])}";

        Assert.False(ApiKeyHash.Verify(ApiKeyHash.NewKey("a"), hash));
        Assert.False(ApiKeyHash.Verify(key, tampered));
        Assert.False(ApiKeyHash.Verify(key, "plain-text-key"));
        Assert.False(ApiKeyHash.Verify(key, "md5:abc:def"));
    }

    [Theory]
    [InlineData("oee_abc_secret", "abc")]
    [InlineData("oee__secret", null)]
    [InlineData("oee_abc_", null)]
    [InlineData("oee_abc", null)]
    [InlineData("abc_secret", null)]
    [InlineData("", null)]
    public void The_key_id_is_the_part_between_the_prefix_and_the_next_underscore(string key, string? keyId) =>
        Assert.Equal(keyId, ApiKeyHash.KeyIdOf(key));
}
