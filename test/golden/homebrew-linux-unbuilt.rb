# typed: false
# frozen_string_literal: true

# Written by slipway for hello 1.4.0 (commit 5a8b7c3); the next release replaces it.
class Hello < Formula
  version "1.4.0"

  on_linux do
    if Hardware::CPU.intel? && Hardware::CPU.is_64_bit?
      url "https://github.com/acme/hello/releases/download/v1.4.0/hello_1.4.0_linux_amd64.tar.gz"
      sha256 "(sha256 of hello_1.4.0_linux_amd64.tar.gz, from the build)"
    end
  end

  def install
    bin.install "hello"
  end

  test do
    system "#{bin}/hello", "--version"
  end
end
