console.log("quickstart placeholder");
