using Oee.Grains.Contracts;

namespace Oee.Api.Models.Validation;

/// <summary>A schedule name: 1–100 characters of <c>[A-Za-z0-9._-]</c> (<see cref="ScheduleLimits.IsName"/>; no colon, so that task ids stay unambiguous).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ScheduleNameAttribute() : NameCharactersAttribute(ScheduleLimits.MaxNameLength);
