using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Exchange.Api.Tests;

/// <summary>
/// The alerts' expressions evaluated by Prometheus itself: promtool (from Debian's prometheus package, which
/// scripts/ensure-prerequisites.sh unpacks into .tools/) runs deploy/kubernetes/alerts.promtest.yml against the groups of
/// alerts.yaml's PrometheusRule.
/// </summary>
public class AlertRuleTests
{
    private static readonly string Kubernetes = Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes");

    [Fact]
    public async Task Prometheus_fires_each_alert_when_it_should_and_not_before()
    {
        var folder = Directory.CreateTempSubdirectory("exchange-alerts-");
        try
        {
            WriteRules(Path.Combine(folder.FullName, "rules.yml"));
            File.Copy(Path.Combine(Kubernetes, "alerts.promtest.yml"), Path.Combine(folder.FullName, "alerts.promtest.yml"));

            var (exitCode, output) = await RunAsync(Promtool(), folder.FullName, "test", "rules", "alerts.promtest.yml");

            Assert.True(exitCode == 0, $"promtool test rules failed:\n{output}");
            Assert.Contains("SUCCESS", output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Where scripts/ensure-prerequisites.sh unpacked it, unless the machine has its own.</summary>
    private static string Promtool()
    {
        var unpacked = Path.Combine(RepositoryPaths.Root, ".tools", "prometheus", "usr", "bin", "promtool");
        return File.Exists(unpacked) ? unpacked : "promtool";
    }

    /// <summary>
    /// A plain Prometheus rule file of the PrometheusRule's groups. Annotations are left out: promtool would compare
    /// them word for word, and what is tested is when each alert fires and with which labels.
    /// </summary>
    private static void WriteRules(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Kubernetes, "alerts.yaml")))
        {
            stream.Load(reader);
        }

        var spec = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)["spec"];
        foreach (var rule in ((YamlSequenceNode)spec["groups"]).Cast<YamlMappingNode>().SelectMany(group => ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>()))
        {
            rule.Children.Remove(new YamlScalarNode("annotations"));
        }

        using var writer = new StreamWriter(path);
        new YamlStream(new YamlDocument(spec)).Save(writer, assignAnchors: false);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await output + await errors);
    }
}
