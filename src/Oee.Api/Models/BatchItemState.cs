using System.Text.Json.Serialization;

namespace Oee.Api.Models;

/// <summary>What became of one task of a batch submit.</summary>
[JsonConverter(typeof(WireEnumConverter<BatchItemState>))]
public enum BatchItemState
{
    /// <summary>A new task was accepted and is durable.</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>The same request with this id had been accepted before; that task is returned.</summary>
    [JsonStringEnumMemberName("existing")]
    Existing,

    /// <summary>The id belongs to a different request; that task is returned.</summary>
    [JsonStringEnumMemberName("conflict")]
    Conflict,

    /// <summary>Refused by the silo (unknown handler, an input the handler rejects, too large); see the errors.</summary>
    [JsonStringEnumMemberName("invalid")]
    Invalid,

    /// <summary>The silo could not store it; submit it again with the same id.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Its queue held its maxPending waiting tasks: refused, nothing stored; submit it again after retryAfterSeconds.</summary>
    [JsonStringEnumMemberName("queueFull")]
    QueueFull,
}
