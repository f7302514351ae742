#!/usr/bin/env bash
# Adds an EF Core migration to this project:  src/RecoveryConsole.Audit/add-migration.sh NAME
#
# Why a script: Microsoft.EntityFrameworkCore.Design 9.0.22 cannot be restored from the package copy here
# (Mono.TextTemplating and Microsoft.Build.Locator >= 1.7.8 are missing), so this project does not reference it.
# The script builds a throw-away startup project outside the repository that downloads the Design package without
# its dependencies (PackageDownload) and references its DLL directly; `migrations add` needs none of the missing ones.
# The dotnet-ef tool is installed into a temporary tool path if absent.
set -euo pipefail

name="${1:?usage: add-migration.sh MigrationName}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ef_version=9.0.22
tool_dir="${EF_TOOL_DIR:-/tmp/eftool}"
host_dir="$(mktemp -d /tmp/recoveryconsole-efhost.XXXXXX)"
trap 'rm -rf "$host_dir"' EXIT

if [[ ! -x "$tool_dir/dotnet-ef" ]]; then
  dotnet tool install --tool-path "$tool_dir" dotnet-ef --version "$ef_version"
fi

cat > "$host_dir/EfHost.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net9.0</TargetFramework>
    <RollForward>Major</RollForward>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RestoreEnablePackagePruning>true</RestoreEnablePackagePruning>
    <NoWarn>\$(NoWarn);NU1603;NU1608;NU1605</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <FrameworkReference Include="Microsoft.AspNetCore.App" />
    <ProjectReference Include="$here/RecoveryConsole.Audit.csproj" />
    <PackageDownload Include="Microsoft.EntityFrameworkCore.Design" Version="[$ef_version]" />
    <PackageReference Include="Humanizer.Core" Version="2.14.1" />
    <PackageReference Include="Microsoft.CodeAnalysis.CSharp.Workspaces" Version="4.14.0" />
    <PackageReference Include="Microsoft.Extensions.DependencyModel" Version="$ef_version" />
    <Reference Include="Microsoft.EntityFrameworkCore.Design">
      <HintPath>\$(NuGetPackageRoot)microsoft.entityframeworkcore.design/$ef_version/lib/net8.0/Microsoft.EntityFrameworkCore.Design.dll</HintPath>
    </Reference>
  </ItemGroup>
</Project>
XML
echo 'return 0;' > "$host_dir/Program.cs"

dotnet restore "$host_dir/EfHost.csproj"
cd "$repo"
DOTNET_ROLL_FORWARD=Major "$tool_dir/dotnet-ef" migrations add "$name" \
  --project src/RecoveryConsole.Audit --startup-project "$host_dir" --output-dir Migrations
