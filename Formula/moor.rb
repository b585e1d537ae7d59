# Homebrew formula, built from this checkout:
#   brew install --build-from-source ./Formula/moor.rb
# It builds the release binary with the system's Swift (Xcode 16.3+ or the Command Line
# Tools; the runtime is the one macOS ships), installs `moor` and the stand-ins `moor demo`
# runs, and the shell completions moor generates.
class Moor < Formula
  desc "Run a homelab's Kubernetes cluster from one declarative file"
  homepage "file://#{File.expand_path("..", __dir__)}/README.md"
  url File.expand_path("..", __dir__), using: :git, branch: "main"
  version "0.2.0"

  depends_on xcode: ["16.3", :build]
  depends_on macos: :sequoia
  uses_from_macos "sqlite"

  def install
    system "swift", "build", "--disable-sandbox", "-c", "release", "--product", "moor"
    system "swift", "build", "--disable-sandbox", "-c", "release", "--product", "moor-standin"
    bin.install ".build/release/moor"
    # `moor demo` finds its stand-in tools in ../libexec/moor beside the real executable.
    (libexec/"moor").install ".build/release/moor-standin"
    generate_completions_from_executable(bin/"moor", "--generate-completion-script", shell_parameter_format: :none)
    pkgshare.install "examples", "docs"
  end

  def caveats
    <<~EOS
      Start from the example lab and its reference:
        cp #{opt_pkgshare}/examples/homelab.yaml moor.yaml
        #{opt_pkgshare}/docs/lab-file.md
      Editors: add `# yaml-language-server: $schema=#{opt_pkgshare}/docs/moor.schema.json`.
      Keep the lab converged after reboots: moor watch --install (a LaunchAgent).
    EOS
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/moor --version")
    (testpath/"moor.yaml").write "version: 1\n"
    assert_equal "ok\n", shell_output("#{bin}/moor validate -f #{testpath}/moor.yaml")
    shell_output("#{bin}/moor validate -f #{testpath}/missing.yaml", 66)
    assert_match "\"$schema\"", shell_output("#{bin}/moor schema")
  end
end
