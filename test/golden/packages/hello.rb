# typed: false
# frozen_string_literal: true

# Written by slipway for hello 1.4.0 (commit 5a8b7c3); the next release replaces it.
class Hello < Formula
  desc "Says \"hello\" to \#{everyone}"
  homepage "https://github.com/acme/hello"
  version "1.4.0"
  license "MIT"

  on_macos do
    if Hardware::CPU.intel? && Hardware::CPU.is_64_bit?
      url "https://github.com/acme/hello/releases/download/v1.4.0/hello_1.4.0_darwin_amd64.tar.gz"
      sha256 "0404040404040404040404040404040404040404040404040404040404040404"
    end

    if Hardware::CPU.arm? && Hardware::CPU.is_64_bit?
      url "https://github.com/acme/hello/releases/download/v1.4.0/hello_1.4.0_darwin_arm64.tar.gz"
      sha256 "0505050505050505050505050505050505050505050505050505050505050505"
    end
  end

  on_linux do
    if Hardware::CPU.intel? && Hardware::CPU.is_64_bit?
      url "https://github.com/acme/hello/releases/download/v1.4.0/hello_1.4.0_linux_amd64.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000000"
    end

    if Hardware::CPU.arm? && Hardware::CPU.is_64_bit?
      url "https://github.com/acme/hello/releases/download/v1.4.0/hello_1.4.0_linux_arm64.tar.gz"
      sha256 "0101010101010101010101010101010101010101010101010101010101010101"
    end

    if Hardware::CPU.arm? && !Hardware::CPU.is_64_bit?
      url "https://github.com/acme/hello/releases/download/v1.4.0/hello_1.4.0_linux_armv7.tar.gz"
      sha256 "0303030303030303030303030303030303030303030303030303030303030303"
    end
  end

  def install
    bin.install "hello"
  end

  test do
    system "#{bin}/hello", "--version"
  end
end
