namespace Oee.Grains.Hosting;

/// <summary>Names of the storage providers OEE's grains use.</summary>
public static class OeeStorage
{
    /// <summary>The grain storage provider for task records and queue settings.</summary>
    public const string Name = "oee";
}
