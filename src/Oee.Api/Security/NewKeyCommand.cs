namespace Oee.Api.Security;

/// <summary>
/// <c>Oee.Api new-key --role ROLE [--id ID] [--description TEXT] [--tenant TENANT]</c>: prints a new API key once, and the
/// configuration lines that hold only its salted hash. Nothing is stored; the key cannot be shown again.
/// </summary>
internal static class NewKeyCommand
{
    public const string Name = "new-key";

    private static readonly string Usage = $"{Name} --role {string.Join("|", OeeRoles.All)} [--id ID] [--description TEXT] [--tenant TENANT]";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        string? role = null, id = null, description = null, tenant = null;
        for (var i = 1; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--role" when value is not null: role = value; i++; break;
                case "--id" when value is not null: id = value; i++; break;
                case "--description" when value is not null: description = value; i++; break;
                case "--tenant" when value is not null: tenant = value; i++; break;
                default:
                    errors.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: {Usage}");
                    return 2;
            }
        }

        if (!OeeRoles.IsKnown(role))
        {
            errors.WriteLine($"--role must be one of {string.Join(", ", OeeRoles.All)}. Usage: {Usage}");
            return 2;
        }

        if (tenant is not null && !Oee.Grains.Contracts.TaskLimits.IsTenant(tenant))
        {
            errors.WriteLine($"--tenant must be 1-{Oee.Grains.Contracts.TaskLimits.MaxTenantLength} characters of [A-Za-z0-9._-].");
            return 2;
        }

        if (tenant is not null && role == OeeRoles.Admin)
        {
            errors.WriteLine("--tenant cannot go with --role admin: admin manages cluster-wide queues, schedules and retention. A tenant's key is a reader or a submitter.");
            return 2;
        }

        id ??= ApiKeyHash.NewKeyId();
        if (!OeeApiSecurityOptions.KeyIdPattern().IsMatch(id))
        {
            errors.WriteLine("--id must be 1-32 letters or digits.");
            return 2;
        }

        if (OeeApiSecurityOptions.IsReservedKeyId(id))
        {
            errors.WriteLine($"--id '{id}' is reserved (it names the caller of an API without keys); choose another.");
            return 2;
        }

        var key = ApiKeyHash.NewKey(id);
        var hash = ApiKeyHash.Hash(key);
        var section = OeeApiSecurityOptions.SectionName.Replace(":", "__", StringComparison.Ordinal);
        output.WriteLine("API key (give it to the client now: it is not stored and cannot be shown again):");
        output.WriteLine($"  {key}");
        output.WriteLine();
        output.WriteLine($"Configuration, appsettings.json ({OeeApiSecurityOptions.SectionName}:Keys):");
        output.WriteLine($"  \"{id}\": {{ \"Hash\": \"{hash}\", \"Role\": \"{role}\"{(tenant is null ? "" : $", \"Tenant\": \"{tenant}\"")}{(description is null ? "" : $", \"Description\": \"{description.Replace("\"", "'", StringComparison.Ordinal)}\"")} }}");
        output.WriteLine();
        output.WriteLine("or environment variables:");
        output.WriteLine($"  {section}__Keys__{id}__Hash={hash}");
        output.WriteLine($"  {section}__Keys__{id}__Role={role}");
        if (tenant is not null)
        {
            output.WriteLine($"  {section}__Keys__{id}__Tenant={tenant}");
        }
        if (description is not null)
        {
            output.WriteLine($"  {section}__Keys__{id}__Description={description}");
        }

        return 0;
    }
}
