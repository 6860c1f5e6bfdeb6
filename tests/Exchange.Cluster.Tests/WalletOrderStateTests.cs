using System.Runtime.CompilerServices;
using Exchange.Grains.State;

namespace Exchange.Cluster.Tests;

/// <summary>Storage rewrites an open order only when <see cref="WalletOrderState.Changeable"/> changes.</summary>
public class WalletOrderStateTests
{
    [Fact]
    public void Every_property_that_can_change_after_creation_is_in_the_changeable_fields()
    {
        static bool InitOnly(System.Reflection.MethodInfo setter) =>
            setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

        var settable = typeof(WalletOrderState).GetProperties()
            .Where(property => property.SetMethod is { } setter && !InitOnly(setter))
            .Select(property => property.Name)
            .Order();
        var stamped = typeof(WalletOrderState.ChangeableFields).GetProperties().Select(property => property.Name).Order();

        Assert.Equal(stamped, settable);
    }
}
