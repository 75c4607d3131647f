namespace Oee.Grains.Models;

/// <summary>What one kind of model answered: the text and the tokens it used (reported or estimated).</summary>
/// <param name="Output">The text.</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
internal sealed record ModelAnswer(string Output, int InputTokens, int OutputTokens);
