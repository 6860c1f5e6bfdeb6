using YamlDotNet.RepresentationModel;

namespace Exchange.Api.Tests;

/// <summary>The Docker and Kubernetes files cannot be built or applied here; these checks keep them consistent with the code.</summary>
public class DeploymentFileTests
{
    private static readonly string Kubernetes = Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes");

    private static List<YamlMappingNode> Documents() => Directory.GetFiles(Kubernetes, "*.yaml").SelectMany(file =>
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return stream.Documents.Select(document => (YamlMappingNode)document.RootNode);
    }).ToList();

    private static YamlMappingNode Kind(string kind) => Documents().Single(d => d["kind"].ToString() == kind);

    private static YamlNode Path_(YamlNode node, params string[] keys) => keys.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    [Fact]
    public void Every_manifest_parses_and_names_its_kind_and_namespace()
    {
        var documents = Documents();

        Assert.Equal(["Deployment", "HorizontalPodAutoscaler", "Namespace", "PrometheusRule", "Role", "RoleBinding", "Secret", "Service", "ServiceAccount"],
            documents.Select(d => d["kind"].ToString()).Order());
        Assert.All(documents.Where(d => d["kind"].ToString() != "Namespace"), d => Assert.Equal("exchange", Path_(d, "metadata", "namespace").ToString()));
    }

    [Fact]
    public void The_deployment_probes_health_reads_postgres_from_a_secret_and_runs_kubernetes_clustering()
    {
        var deployment = Kind("Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)Path_(deployment, "spec", "template", "spec", "containers"))[0];
        var env = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => e["name"].ToString());

        Assert.Equal("/health/ready", Path_(container, "readinessProbe", "httpGet", "path").ToString());
        Assert.Equal("/health", Path_(container, "livenessProbe", "httpGet", "path").ToString());
        Assert.Equal("sleep", ((YamlSequenceNode)Path_(container, "lifecycle", "preStop", "exec", "command"))[0].ToString());
        Assert.Equal("kubernetes", env["Exchange__Clustering"]["value"].ToString());
        Assert.Equal("exchange-secrets", Path_(env["ConnectionStrings__Exchange"], "valueFrom", "secretKeyRef", "name").ToString());
        Assert.Equal(Path_(Kind("Secret"), "metadata", "name").ToString(), Path_(env["ConnectionStrings__Exchange"], "valueFrom", "secretKeyRef", "name").ToString());
        Assert.Contains("connection-string", ((YamlMappingNode)Kind("Secret")["stringData"]).Children.Keys.Select(k => k.ToString()));
        // Every secret the silo reads has its entry in the example operators fill in.
        var secretKeys = env.Values.Select(variable => variable.Children.TryGetValue("valueFrom", out var from) && ((YamlMappingNode)from).Children.TryGetValue("secretKeyRef", out var reference)
                ? ((YamlMappingNode)reference)["key"].ToString() : null).OfType<string>().ToList();
        Assert.Contains("payment-webhook-secret", secretKeys);
        Assert.All(secretKeys, key => Assert.Contains(key, ((YamlMappingNode)Kind("Secret")["stringData"]).Children.Keys.Select(k => k.ToString())));
        Assert.Equal(Path_(Kind("ServiceAccount"), "metadata", "name").ToString(), Path_(deployment, "spec", "template", "spec", "serviceAccountName").ToString());
        Assert.Equal("RollingUpdate", Path_(deployment, "spec", "strategy", "type").ToString());
        Assert.Equal("0", Path_(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable").ToString());
    }

    [Fact]
    public void The_service_and_autoscaler_point_at_the_deployment_and_the_service_keeps_client_addresses()
    {
        var deployment = Kind("Deployment");
        var labels = Path_(deployment, "spec", "template", "metadata", "labels");

        Assert.Equal(Path_(labels, "app").ToString(), Path_(Kind("Service"), "spec", "selector", "app").ToString());
        Assert.Equal(Path_(deployment, "metadata", "name").ToString(), Path_(Kind("HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name").ToString());
        Assert.True(int.Parse(Path_(Kind("HorizontalPodAutoscaler"), "spec", "minReplicas").ToString()) >= 2);
        // Silos tell anonymous clients apart by address, which the load balancer keeps only with this policy.
        Assert.Equal("Local", Path_(Kind("Service"), "spec", "externalTrafficPolicy").ToString());
    }

    [Fact]
    public void Alerts_name_only_metrics_the_exchange_emits()
    {
        var emitted = new HashSet<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name != Grains.Hosting.ExchangeMetrics.MeterName)
                {
                    return;
                }

                // The Prometheus exporter's names: dots become underscores, then the unit, then _total for counters.
                var name = instrument.Name.Replace('.', '_') + instrument.Unit switch { "s" => "_seconds", "ms" => "_milliseconds", _ => "" };
                emitted.UnionWith(instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) ? [name + "_total"]
                    : instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal) ? [name + "_bucket", name + "_sum", name + "_count"]
                    : [name]);
            },
        };
        using var metrics = new Grains.Hosting.ExchangeMetrics(new Grains.Hosting.SettlementBacklog(), new Grains.Hosting.WithdrawalsWaiting(), Grains.Hosting.ExchangeClock.System);
        listener.Start();
        var rules = ((YamlSequenceNode)Path_(Kind("PrometheusRule"), "spec", "groups")).Cast<YamlMappingNode>()
            .SelectMany(group => ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>()).ToList();

        Assert.Contains(rules, rule => rule["alert"].ToString() == "ExchangeAuditFailed");
        Assert.All(rules, rule => Assert.All(
            System.Text.RegularExpressions.Regex.Matches(rule["expr"].ToString(), "exchange_[a-z_]+").Select(match => match.Value),
            metric => Assert.Contains(metric, emitted)));
    }

    [Fact]
    public void The_dockerfile_publishes_the_silo_project_and_starts_its_assembly()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "Dockerfile"));

        Assert.Contains("silo/Exchange.Silo/Exchange.Silo.csproj", dockerfile);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "silo", "Exchange.Silo", "Exchange.Silo.csproj")));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Exchange.Silo.dll\"]", dockerfile);
        Assert.Contains("Exchange__Clustering=kubernetes", dockerfile);
    }
}
