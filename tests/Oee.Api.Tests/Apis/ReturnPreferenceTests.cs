using Oee.Api.Apis;

namespace Oee.Api.Tests.Apis;

public sealed class ReturnPreferenceTests
{
    [Theory]
    [InlineData("return=minimal")]
    [InlineData("Return=MINIMAL")]
    [InlineData(" return = minimal ")]
    [InlineData("return=\"minimal\"")]
    [InlineData("return=minimal; foo=\"bar\"")]
    [InlineData("respond-async, wait=10, return=minimal")]
    [InlineData("handling=lenient,return=minimal")]
    public void Return_minimal_is_found_wherever_it_stands(string prefer) =>
        Assert.True(ReturnPreference.IsMinimal(prefer));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("return=representation")]
    [InlineData("return=representation, return=minimal")]
    [InlineData("return")]
    [InlineData("return=")]
    [InlineData("return=\"")]
    [InlineData("return=minimalist")]
    [InlineData("returns=minimal")]
    [InlineData("x-return=minimal")]
    [InlineData("respond-async; return=minimal")]
    [InlineData("=minimal")]
    [InlineData(",,;;==\"\"")]
    public void Anything_else_is_not_minimal(string? prefer) =>
        Assert.False(ReturnPreference.IsMinimal(prefer));
}
