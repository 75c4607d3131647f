using System.Text.Json.Serialization;

namespace Oee.Api.Models;

/// <summary>
/// A silo's membership status (Orleans' own, lower-case), or <c>unreachable</c> when membership
/// lists the silo but it did not answer.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<SiloState>))]
public enum SiloState
{
    /// <summary>Serving: it runs grains and takes calls.</summary>
    [JsonStringEnumMemberName("active")]
    Active,

    /// <summary>Starting and joining the cluster.</summary>
    [JsonStringEnumMemberName("joining")]
    Joining,

    /// <summary>Created, not yet joining.</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>Shutting down gracefully.</summary>
    [JsonStringEnumMemberName("shuttingdown")]
    ShuttingDown,

    /// <summary>Stopping.</summary>
    [JsonStringEnumMemberName("stopping")]
    Stopping,

    /// <summary>Declared dead by the cluster.</summary>
    [JsonStringEnumMemberName("dead")]
    Dead,

    /// <summary>No membership status yet.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Listed by membership, but it did not answer in time.</summary>
    [JsonStringEnumMemberName("unreachable")]
    Unreachable,
}
