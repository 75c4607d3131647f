using System.Text.Json.Serialization;

namespace Oee.Api.Models;

/// <summary>
/// An enum on the wire as its name only (<see cref="JsonStringEnumMemberNameAttribute"/>), as the OpenAPI document
/// declares it. A number is refused (400 naming the field): System.Text.Json's string enum converter accepts numbers by
/// default, and a number with no member (<c>"retryOn": 7</c>) would then reach the engine's mapping as an unknown value
/// and be read as its default, writing a setting nobody asked for.
/// </summary>
/// <typeparam name="TEnum">The wire enum.</typeparam>
public sealed class WireEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
