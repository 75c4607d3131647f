namespace Oee.Grains.Storage;

/// <summary>Names of the storage providers OEE's grains use.</summary>
internal static class OeeStorage
{
    /// <summary>The grain storage provider for queue settings, directories and schedules (durable mode keeps task records in its own table, <c>oee_task_record</c>).</summary>
    public const string Name = "oee";
}
