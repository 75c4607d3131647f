using Orleans.Metadata;
using Orleans.Runtime;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Makes a silo (or client) describe OEE's grain interfaces as a build without their [Version] attributes would:
/// every interface at version 0. Its calls then carry version 0 and its activations serve version 0, as those of a
/// silo of the version before interface versions were introduced; the methods themselves stay this build's.
/// Registered after Orleans' own providers, so it runs after the one that reads the attributes.
/// </summary>
internal sealed class EarlierInterfaceVersions : IGrainInterfacePropertiesProvider
{
    public void Populate(Type interfaceType, GrainInterfaceType grainInterfaceType, Dictionary<string, string> properties)
    {
        if (interfaceType.Assembly == typeof(Contracts.ITaskGrain).Assembly)
        {
            properties.Remove(WellKnownGrainInterfaceProperties.Version);
        }
    }
}
