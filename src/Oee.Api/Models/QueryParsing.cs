using System.Globalization;
using System.Xml;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

/// <summary>Turns query-string values into typed values, or a 400 naming the parameter.</summary>
internal static class QueryParsing
{
    public static TaskQuery ToQuery(this ListTasksParameters parameters)
    {
        var errors = new List<FieldError>();
        OeeTaskStatus? status = null;
        if (parameters.Status is { } statusText)
        {
            if (OeeTaskStatusExtensions.TryParseWireName(statusText, out var parsed))
            {
                status = parsed;
            }
            else
            {
                errors.Add(new FieldError("status", $"Status '{statusText}' is not one of {string.Join(", ", OeeTaskStatusExtensions.All.Select(s => s.ToWireName()))}."));
            }
        }

        var limit = TaskQuery.DefaultLimit;
        if (parameters.Limit is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > TaskQuery.MaxLimit))
        {
            errors.Add(new FieldError("limit", $"Limit must be a whole number from 1 to {TaskQuery.MaxLimit} (was '{limitText}')."));
        }

        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        return new TaskQuery
        {
            Status = status,
            Queue = NullIfEmpty(parameters.Queue),
            Name = NullIfEmpty(parameters.Name),
            Tag = NullIfEmpty(parameters.Tag),
            Limit = limit,
            Cursor = NullIfEmpty(parameters.Cursor),
        };
    }

    /// <summary>An age as an ISO 8601 duration ("PT1H", "P7D") or [d.]hh:mm:ss ("01:30:00").</summary>
    public static TimeSpan? ParseAge(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        TimeSpan age;
        if (text.StartsWith('P'))
        {
            try
            {
                age = XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
                throw OeeValidationException.For(field, $"'{text}' is not a duration; use ISO 8601 (PT1H, P7D) or [d.]hh:mm:ss.");
            }
        }
        else if (!TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out age))
        {
            throw OeeValidationException.For(field, $"'{text}' is not a duration; use ISO 8601 (PT1H, P7D) or [d.]hh:mm:ss.");
        }

        return age < TimeSpan.Zero ? throw OeeValidationException.For(field, "The duration must not be negative.") : age;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
