package org.pushpin.cli;

public final class PushpinMain {
    public static void main(String[] args) {
    }
}
