using System.ComponentModel.DataAnnotations;
using Oee.Grains.Contracts;

namespace Oee.Api.Models.Validation;

/// <summary>
/// A tenant name: 1–<see cref="TaskLimits.MaxTenantLength"/> characters of <c>[A-Za-z0-9._-]</c>
/// (<see cref="TaskLimits.IsTenant"/>). A regular expression, so that the OpenAPI document shows the
/// pattern; empty counts as absent.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TenantAttribute() : RegularExpressionAttribute($"^[A-Za-z0-9._-]{{1,{TaskLimits.MaxTenantLength}}}$")
{
    /// <inheritdoc />
    public override string FormatErrorMessage(string name) =>
        $"{FieldNames.Capitalized(name)} must be 1–{TaskLimits.MaxTenantLength} characters of [A-Za-z0-9._-].";
}
