using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Errors;
using Oee.Api.Security;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Errors;

namespace Oee.Api.Tests.Errors;

/// <summary>
/// The one mapping of domain exceptions to answers (<see cref="ApiProblems.For"/>), which every endpoint's
/// thrown errors go through: status, fields and what a tenant key may learn.
/// </summary>
public sealed class ApiProblemsTests
{
    [Fact]
    public void Invalid_input_is_a_400_naming_each_field_with_all_its_messages()
    {
        var invalid = new OeeValidationException([new FieldError("priority", "too high"), new FieldError("tags", "too many"), new FieldError("priority", "not a number")]);

        var problem = Assert.IsType<ValidationProblem>(ApiProblems.For(new DefaultHttpContext(), invalid));

        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        Assert.Equal(["too high", "not a number"], problem.ProblemDetails.Errors["priority"]);
        Assert.Equal(["too many"], problem.ProblemDetails.Errors["tags"]);
        Assert.Equal("Invalid request", problem.ProblemDetails.Title);
        Assert.Contains(ApiProblems.TraceIdKey, problem.ProblemDetails.Extensions.Keys);
    }

    [Fact]
    public void Unknown_is_a_404_and_a_full_queue_a_429_with_its_retry_after()
    {
        var notFound = Assert.IsType<NotFoundProblem>(ApiProblems.For(new DefaultHttpContext(), new OeeNotFoundException("queue", "q1")));
        Assert.Equal((404, "No queue is named 'q1'."), (notFound.StatusCode, notFound.Value.Detail));

        var full = Assert.IsType<QueueFullProblem>(ApiProblems.For(new DefaultHttpContext(), new OeeQueueFullException("q1", TimeSpan.FromSeconds(2.2), "full")));
        Assert.Equal((429, 3), (full.StatusCode, full.RetryAfterSeconds));
        Assert.Equal("q1", full.Value.Extensions["queue"]);
    }

    [Fact]
    public void A_conflict_with_another_tenants_task_tells_a_tenant_key_only_that_the_id_is_taken()
    {
        var theirs = new TaskRecord { Id = "t1", Name = "secret name", Handler = "echo", Queue = "q", Status = OeeTaskStatus.Queued, Tenant = "globex", Version = 1 };
        var conflict = new OeeConflictException("Task 't1' (secret name) exists with another request.", theirs);

        var acme = new DefaultHttpContext { User = Principal("acme1", "acme") };
        var hidden = Assert.IsType<ConflictProblem>(ApiProblems.For(acme, conflict));
        Assert.Equal(409, hidden.StatusCode);
        Assert.Contains("'t1' is taken", hidden.Value.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", hidden.Value.Detail, StringComparison.Ordinal);

        var ops = new DefaultHttpContext { User = Principal("ops1", tenant: null) };
        Assert.Equal(conflict.Message, Assert.IsType<ConflictProblem>(ApiProblems.For(ops, conflict)).Value.Detail);
    }

    [Fact]
    public void Anything_else_is_left_to_the_exception_handler()
    {
        Assert.Null(ApiProblems.For(new DefaultHttpContext(), new InvalidOperationException("a bug")));
        Assert.Null(ApiProblems.For(new DefaultHttpContext(), new OeeStorageUnavailableException()));
    }

    private static ClaimsPrincipal Principal(string keyId, string? tenant)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, keyId), new(ClaimTypes.Role, OeeRoles.Submitter) };
        if (tenant is not null)
        {
            claims.Add(new Claim(ApiCaller.TenantClaim, tenant));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}
