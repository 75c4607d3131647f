using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oee.Grains.Errors;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace Oee.Grains.Tests.Errors;

/// <summary>Orleans' real serializer, as a silo configures it, with and without OEE's codec.</summary>
public sealed class ForeignExceptionCodecTests
{
    [Fact]
    public async Task Without_the_codec_a_provider_error_cannot_cross_the_wire()
    {
        var serializer = Serializer(withOeeCodec: false);
        var refused = await ProviderErrors.ConnectionRefused();

        Assert.Throws<CodecNotFoundException>(() => serializer.SerializeToArray<object>(new OrleansException("storage failed", refused)));
    }

    [Fact]
    public async Task With_the_codec_a_provider_error_crosses_as_storage_unavailable_inside_its_wrapper()
    {
        var serializer = Serializer(withOeeCodec: true);
        var refused = await ProviderErrors.ConnectionRefused();

        var bytes = serializer.SerializeToArray<object>(new OrleansException("storage failed", refused));
        var read = Assert.IsType<OrleansException>(serializer.Deserialize<object>(bytes));

        var inner = Assert.IsType<OeeStorageUnavailableException>(read.InnerException);
        Assert.Equal(refused.Message, inner.ProviderMessage);
        Assert.Equal(typeof(Npgsql.NpgsqlException).FullName, inner.ProviderError);
        Assert.Equal(OeeUnavailableException.DefaultRetryAfter, inner.RetryAfter);
    }

    [Fact]
    public async Task A_provider_error_on_its_own_crosses_as_storage_unavailable()
    {
        var serializer = Serializer(withOeeCodec: true);
        var refused = await ProviderErrors.ConnectionRefused();

        var read = Assert.IsType<OeeStorageUnavailableException>(serializer.Deserialize<object>(serializer.SerializeToArray<object>(refused)));
        Assert.Contains(refused.Message, read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_unserializable_exception_crosses_as_an_engine_fault()
    {
        var serializer = Serializer(withOeeCodec: true);

        var read = Assert.IsType<OeeEngineFaultException>(serializer.Deserialize<object>(serializer.SerializeToArray<object>(new ForeignLibraryException("no codec for me"))));
        Assert.Equal(typeof(ForeignLibraryException).FullName, read.OriginalType);
        Assert.Equal("no codec for me", read.OriginalMessage);
    }

    [Fact]
    public void Exceptions_Orleans_serializes_itself_are_left_to_it()
    {
        var serializer = Serializer(withOeeCodec: true);

        var read = Assert.IsType<InvalidOperationException>(serializer.Deserialize<object>(serializer.SerializeToArray<object>(new InvalidOperationException("a bug"))));
        Assert.Equal("a bug", read.Message);
    }

    private static Serializer Serializer(bool withOeeCodec)
    {
        var services = new ServiceCollection();
        services.AddSerializer(builder => builder.AddAssembly(typeof(OeeStorageUnavailableException).Assembly).AddAssembly(typeof(OrleansException).Assembly));
        if (withOeeCodec)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IGeneralizedCodec, ForeignExceptionCodec>());
        }

        return services.BuildServiceProvider().GetRequiredService<Serializer>();
    }

    public sealed class ForeignLibraryException(string message) : Exception(message);
}
