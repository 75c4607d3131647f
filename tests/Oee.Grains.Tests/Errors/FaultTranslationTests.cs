using Npgsql;
using Oee.Grains.Client;
using Oee.Grains.Errors;
using Orleans.Runtime;
using Orleans.Storage;

namespace Oee.Grains.Tests.Errors;

public sealed class FaultTranslationTests
{
    private static readonly Func<Type, bool> Serializable = _ => true;

    [Fact]
    public async Task A_provider_error_leaving_a_grain_becomes_storage_unavailable_with_its_message_as_text()
    {
        var refused = await ProviderErrors.ConnectionRefused();

        var fault = Assert.IsType<OeeStorageUnavailableException>(FaultTranslation.AtGrainBoundary(refused, Serializable));

        Assert.Equal(refused.Message, fault.ProviderMessage);
        Assert.Equal(typeof(NpgsqlException).FullName, fault.ProviderError);
        Assert.Contains(refused.Message, fault.Message, StringComparison.Ordinal);
        Assert.Equal("storage", fault.Unavailable);
        Assert.Null(fault.InnerException);
        Assert.True(fault.RetryAfter > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_provider_error_inside_Orleans_storage_wrapper_becomes_storage_unavailable()
    {
        var refused = await ProviderErrors.ConnectionRefused();
        var wrapped = new OrleansException("Error from storage provider AdoNetGrainStorage.oee during ReadState", refused);

        var fault = Assert.IsType<OeeStorageUnavailableException>(FaultTranslation.AtGrainBoundary(wrapped, Serializable));
        Assert.Equal(refused.Message, fault.ProviderMessage);
    }

    [Fact]
    public async Task Exceptions_Orleans_relies_on_and_OEE_own_pass_unchanged()
    {
        var refused = await ProviderErrors.ConnectionRefused();

        // A stale activation's write: Orleans deactivates the activation when it sees this exact type.
        Assert.Null(FaultTranslation.AtGrainBoundary(new InconsistentStateException("stale", "1", "2", refused), Serializable));
        Assert.Null(FaultTranslation.AtGrainBoundary(new OperationCanceledException(), _ => false));
        Assert.Null(FaultTranslation.AtGrainBoundary(new OeeNotFoundException("task", "t1"), _ => false));
        Assert.Null(FaultTranslation.AtGrainBoundary(new InvalidOperationException("a bug"), Serializable));
    }

    [Fact]
    public void An_exception_Orleans_cannot_serialize_becomes_an_engine_fault_with_its_type_and_message()
    {
        var foreign = new ForeignLibraryException("the library's own words");

        Assert.Null(FaultTranslation.AtGrainBoundary(foreign, Serializable));
        var fault = Assert.IsType<OeeEngineFaultException>(FaultTranslation.AtGrainBoundary(foreign, _ => false));
        Assert.Equal(typeof(ForeignLibraryException).FullName, fault.OriginalType);
        Assert.Equal("the library's own words", fault.OriginalMessage);
    }

    [Fact]
    public void At_the_caller_an_unreachable_cluster_or_a_stale_activation_becomes_cluster_unavailable()
    {
        foreach (var orleans in new Exception[]
        {
            new SiloUnavailableException("silo S127.0.0.1:11111 is dead"),
            new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:30000:0"),
            new GatewayTooBusyException(),
            new TimeoutException("Response did not arrive on time in 00:00:30"),

            // A stale activation's write refused (two activations of one task for a moment, after a silo failure):
            // Orleans deactivates it, and the same request reaches a fresh one.
            new Orleans.Storage.InconsistentStateException("Version conflict", "3", "4", null),
        })
        {
            var fault = Assert.IsType<OeeClusterUnavailableException>(FaultTranslation.AtCaller(orleans));
            Assert.Equal(orleans.GetType().FullName, fault.Cause);
            Assert.Contains(orleans.Message, fault.Message, StringComparison.Ordinal);
            Assert.Equal("cluster", fault.Unavailable);
        }
    }

    [Fact]
    public async Task At_the_caller_OEE_faults_are_unwrapped_and_provider_errors_translated()
    {
        var storage = new OeeStorageUnavailableException("Failed to connect", "Npgsql.NpgsqlException", "");
        Assert.Same(storage, FaultTranslation.AtCaller(new OrleansException("Error from storage provider", storage)));

        var refused = await ProviderErrors.ConnectionRefused();
        Assert.IsType<OeeStorageUnavailableException>(FaultTranslation.AtCaller(new OrleansException("wrapped", refused)));

        Assert.Null(FaultTranslation.AtCaller(OeeValidationException.For("name", "missing")));
        Assert.Null(FaultTranslation.AtCaller(new InvalidOperationException("a bug")));
    }

    private sealed class ForeignLibraryException(string message) : Exception(message);
}
