namespace Oee.Grains.Storage;

/// <summary>Names of the storage providers OEE's grains use.</summary>
internal static class OeeStorage
{
    /// <summary>The grain storage provider for queue settings and, in durable mode, task records.</summary>
    public const string Name = "oee";
}
