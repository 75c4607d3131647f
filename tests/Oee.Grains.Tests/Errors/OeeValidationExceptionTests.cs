using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Errors;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace Oee.Grains.Tests.Errors;

/// <summary>A grain's refusal with field errors crosses a grain call whole (Orleans' real serializer, with OEE's codec as a silo has it).</summary>
public sealed class OeeValidationExceptionTests
{
    [Fact]
    public void It_crosses_the_wire_with_its_field_errors_and_message()
    {
        var serializer = Serializer();
        var thrown = new OeeValidationException([new FieldError("callbackUrl", "Host 'x' is not among Oee:Webhooks:AllowedHosts."), new FieldError("maxPending", "too many")]);

        var read = Assert.IsType<OeeValidationException>(serializer.Deserialize<object>(serializer.SerializeToArray<object>(thrown)));

        Assert.Equal(thrown.Errors, read.Errors);
        Assert.Equal(thrown.Message, read.Message);
    }

    [Fact]
    public void Orleans_has_a_codec_of_its_own_for_it_so_the_grain_boundary_lets_it_through()
    {
        var codecs = Services().GetRequiredService<ICodecProvider>();

        Assert.IsNotType<ForeignExceptionCodec>(codecs.TryGetCodec(typeof(OeeValidationException)));
        Assert.Null(FaultTranslation.AtGrainBoundary(OeeValidationException.For("callbackUrl", "no"), _ => false));
    }

    private static Serializer Serializer() => Services().GetRequiredService<Serializer>();

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddSerializer(builder => builder.AddAssembly(typeof(OeeValidationException).Assembly).AddAssembly(typeof(OrleansException).Assembly));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGeneralizedCodec, ForeignExceptionCodec>());
        return services.BuildServiceProvider();
    }
}
