using Oee.Grains.Contracts;

namespace Oee.Api.Models.Validation;

/// <summary>A tenant name: 1–<see cref="TaskLimits.MaxTenantLength"/> characters of <c>[A-Za-z0-9._-]</c> (<see cref="TaskLimits.IsTenant"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TenantAttribute() : NameCharactersAttribute(TaskLimits.MaxTenantLength);
