using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Exchange.Abstractions.Grains;
using Exchange.Grains.State;
using Orleans.CodeGeneration;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// What a silo of another build must agree on with this one: every serialized member of the types grains store
/// (everything reachable from <c>Exchange.Grains.State</c>) and every method of the versioned grain interfaces.
/// </summary>
public static class StoredShapes
{
    private static readonly Assembly StateAssembly = typeof(WalletState).Assembly;
    private static readonly Assembly InterfaceAssembly = typeof(IWalletGrain).Assembly;

    /// <summary>One sorted line per serialized member, enum value and grain method.</summary>
    public static IReadOnlyList<string> Listing()
    {
        var lines = new List<string>();
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(StateAssembly.GetTypes().Where(type => type.Namespace == typeof(WalletState).Namespace
            && type.GetCustomAttribute<GenerateSerializerAttribute>() is not null));
        while (pending.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            if (type.IsEnum)
            {
                lines.AddRange(Enum.GetNames(type).Select(name => $"enum {Name(type)}.{name} = {Convert.ToInt64(Enum.Parse(type, name), System.Globalization.CultureInfo.InvariantCulture)}"));
                continue;
            }

            foreach (var member in SerializedMembers(type))
            {
                lines.Add($"{Name(type)}.{member.Name} #{member.Id}: {Name(member.Type)}");
                foreach (var reached in OwnTypesIn(member.Type))
                {
                    pending.Enqueue(reached);
                }
            }
        }

        foreach (var grainInterface in VersionedInterfaces())
        {
            lines.AddRange(grainInterface.GetMethods().Select(method =>
                $"grain {grainInterface.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => Name(p.ParameterType)))}) -> {Name(method.ReturnType)}"));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The sum of the exchange's grain interface versions: what the placement filter compares between silos.</summary>
    public static int VersionSum() => VersionedInterfaces().Sum(type => type.GetCustomAttribute<VersionAttribute>()!.Version);

    public static string Hash(IEnumerable<string> listing) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", listing))))[..16];

    private static IEnumerable<Type> VersionedInterfaces() =>
        InterfaceAssembly.GetTypes().Where(type => type.IsInterface && type.GetCustomAttribute<VersionAttribute>() is not null);

    private static IEnumerable<(string Name, uint Id, Type Type)> SerializedMembers(Type type)
    {
        const BindingFlags declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(declared))
            {
                if (field.GetCustomAttribute<IdAttribute>() is { } id)
                {
                    yield return (field.Name, id.Id, field.FieldType);
                }
            }

            foreach (var property in current.GetProperties(declared))
            {
                if (property.GetCustomAttribute<IdAttribute>() is { } id)
                {
                    yield return (property.Name, id.Id, property.PropertyType);
                }
            }
        }
    }

    /// <summary>The exchange's own types in a member's type: itself, generic arguments, array elements.</summary>
    private static IEnumerable<Type> OwnTypesIn(Type type)
    {
        if (type.IsArray)
        {
            return OwnTypesIn(type.GetElementType()!);
        }

        var own = type.Assembly.GetName().Name!.StartsWith("Exchange.", StringComparison.Ordinal) ? [type] : Array.Empty<Type>();
        return type.IsGenericType ? own.Concat(type.GetGenericArguments().SelectMany(OwnTypesIn)) : own;
    }

    private static string Name(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
            : type.IsArray ? Name(type.GetElementType()!) + "[]" : type.Name;
}
