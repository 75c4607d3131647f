using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Models;
using Oee.Grains.Models.BuiltIn;

namespace Oee.Grains.Tests.Models;

/// <summary>The deterministic built-in models, and their calls through the caller.</summary>
public sealed class BuiltInModelTests
{
    private const string Review =
        "The new release is fast and reliable. Support was not helpful at first. " +
        "The release notes explain the release process and the release schedule. Overall we recommend it.";

    [Fact]
    public void Lead_sentence_is_the_first_sentence()
    {
        Assert.Equal("The new release is fast and reliable.", Summaries.LeadSentence(Review));
        Assert.Equal("no end at all", Summaries.LeadSentence("  no end at all "));
        Assert.Equal(string.Empty, Summaries.LeadSentence(""));
    }

    [Fact]
    public void Key_sentences_are_the_two_most_representative_in_text_order()
    {
        Assert.Equal(
            "The new release is fast and reliable. The release notes explain the release process and the release schedule.",
            Summaries.KeySentences(Review));
        Assert.Equal(Summaries.KeySentences(Review), Summaries.KeySentences(Review));
        Assert.Equal("One. Two!", Summaries.KeySentences("One. Two!"));
    }

    [Theory]
    [InlineData("I love it, great and fast", false, "positive")]
    [InlineData("slow, broken and useless", false, "negative")]
    [InlineData("it is a chair", false, "neutral")]
    [InlineData("this is not good", false, "positive")]
    [InlineData("this is not good", true, "negative")]
    [InlineData("it isn't slow at all", true, "positive")]
    public void Sentiment_counts_keywords_and_optionally_negations(string text, bool negations, string expected) =>
        Assert.Equal(expected, Sentiment.Classify(text, negations));

    [Fact]
    public void Entities_are_extracted_as_json_without_counting_digits_twice()
    {
        var json = Entities.Extract("Mail ann@example.com or see https://example.com/a?b=1 before 2026-11-28; it costs 42.5 for 3 seats.");

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["ann@example.com"], root.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["https://example.com/a?b=1"], root.GetProperty("urls").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["2026-11-28"], root.GetProperty("dates").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["42.5", "3"], root.GetProperty("numbers").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Token_estimates_are_a_quarter_of_the_utf8_bytes_rounded_up_and_truncation_keeps_within_them()
    {
        Assert.Equal(0, TokenEstimate.Of(""));
        Assert.Equal(1, TokenEstimate.Of("abc"));
        Assert.Equal(2, TokenEstimate.Of("abcde"));
        Assert.Equal(2, TokenEstimate.Of("éé€"));
        Assert.Equal("abcdefgh", TokenEstimate.Truncate("abcdefghij", 2));
        Assert.Equal("€€", TokenEstimate.Truncate("€€€€", 2));
        Assert.Equal("😀", TokenEstimate.Truncate("😀😀", 1));
    }

    [Fact]
    public async Task A_built_in_call_is_deterministic_estimated_and_priced()
    {
        await using var services = ModelServices.Create(new Dictionary<string, string?>
        {
            ["Oee:Models:up:Kind"] = "builtin",
            ["Oee:Models:up:BuiltIn"] = "uppercase",
            ["Oee:Models:up:Capabilities:0"] = "transform",
            ["Oee:Models:up:Pricing:PerThousandInputTokens"] = "1",
            ["Oee:Models:up:Pricing:PerThousandOutputTokens"] = "1",
            ["Oee:Models:up:MaxOutputTokens"] = "2",
        });

        var first = await services.Caller.CallAsync("up", new ModelPrompt { Prompt = "hello world", Instructions = "ignored" }, CancellationToken.None);
        var second = await services.Caller.CallAsync("up", new ModelPrompt { Prompt = "hello world", Instructions = "ignored" }, CancellationToken.None);

        Assert.Equal("HELLO WO", first.Output);
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(2 + 3, first.InputTokens);
        Assert.Equal(2, first.OutputTokens);
        Assert.Equal(7m / 1000m, first.Cost);
    }

    [Fact]
    public async Task A_built_in_waits_its_simulated_latency_on_the_engine_clock_and_stops_when_cancelled()
    {
        var clock = new FakeTimeProvider();
        await using var services = ModelServices.Create(
            new Dictionary<string, string?>
            {
                ["Oee:Models:slow:Kind"] = "builtin",
                ["Oee:Models:slow:BuiltIn"] = "echo",
                ["Oee:Models:slow:Capabilities:0"] = "echo",
                ["Oee:Models:slow:SimulatedLatency"] = "00:00:05",
            },
            clock: clock);

        var call = services.Caller.CallAsync("slow", new ModelPrompt { Prompt = "x" }, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var reply = await call.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(5), reply.Latency);

        using var cancel = new CancellationTokenSource();
        var cancelled = services.Caller.CallAsync("slow", new ModelPrompt { Prompt = "x" }, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }
}
