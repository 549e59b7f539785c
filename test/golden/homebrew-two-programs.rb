# typed: false
# frozen_string_literal: true

# Written by slipway for hello 1.4.0 (commit 5a8b7c3); the next release replaces it.
class Hello < Formula
  version "1.4.0"

  on_macos do
    if Hardware::CPU.arm? && Hardware::CPU.is_64_bit?
      url "https://github.com/acme/hello/releases/download/v1.4.0/hello_1.4.0_darwin_arm64.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000000"
    end
  end

  on_linux do
    if Hardware::CPU.intel? && Hardware::CPU.is_64_bit?
      url "https://github.com/acme/hello/releases/download/v1.4.0/hello_1.4.0_linux_amd64.tar.gz"
      sha256 "1111111111111111111111111111111111111111111111111111111111111111"
    end
  end

  def install
    bin.install "hi"
    bin.install "helloctl"
  end

  test do
    system "#{bin}/hi", "--version"
  end
end
